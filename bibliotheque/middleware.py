import logging

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Browser features the site never uses, switched off for the site and anything it might embed.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


class PermissionsPolicyMiddleware:
    """Send Permissions-Policy on every response: Django's SecurityMiddleware does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def database_unavailable(request=None):
    """The French 503 page, rendered without touching the database or any context processor."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # A stale copy of an error must not outlive the outage in a cache.
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not a 500, while PostgreSQL is unreachable.

    The connection is not reset here: with CONN_HEALTH_CHECKS the next request opens a fresh
    one, so the site recovers by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        # One line, no traceback: during an outage every request fails the same way.
        logger.error(
            "Database unavailable: %s",
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
            extra={"error": type(exception).__name__, "status_code": 503},
        )
        return database_unavailable(request)


# Methods no page of the site answers: TRACE echoes the request (cross-site tracing), CONNECT
# and TRACK are proxy or legacy verbs. Refused before anything else reads the request.
REFUSED_METHODS = frozenset({"TRACE", "TRACK", "CONNECT"})
ALLOWED_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


def invalid_text(value):
    """NUL, other control characters than tab and line ends, or a lone surrogate."""
    return any(
        (ord(char) < 32 and char not in "\t\n\r")
        or ord(char) == 127
        or 0xD800 <= ord(char) <= 0xDFFF
        for char in value
    )


class RequestHygieneMiddleware:
    """Refuse what no view should ever see, before any lookup (docs/securite.md).

    - TRACE and friends: 405.
    - A body announced over REQUEST_MAX_BYTES (the largest document and its form): 413, before
      anything reads it (CSRF would parse a multipart body to find its token).
    - A path or a query string (names and values) holding NUL, a control character or a lone
      surrogate: 400, JSON on the API, the French 400 page elsewhere. PostgreSQL refuses NUL in
      text, so such a value used to reach a lookup and raise a 500. Form fields are guarded by
      Django's own ProhibitNullCharactersValidator.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in REFUSED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        if _content_length(request) > settings.REQUEST_MAX_BYTES:
            return _too_large(request)
        invalid = [
            name
            for name, values in request.GET.lists()
            if invalid_text(name) or any(invalid_text(value) for value in values)
        ]
        if invalid_text(request.path) or invalid:
            if request.path.startswith("/api/"):
                message = _("Requête invalide : caractère interdit dans l’adresse.")
                # The API's documented 400: a message, and the messages per parameter.
                errors = {repr(name)[1:-1]: [message] for name in invalid}
                return JsonResponse(
                    {"detail": message, "errors": errors},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            raise BadRequest("Forbidden character in the path or the query string")
        return self.get_response(request)


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(request):
    limit = settings.DOCUMENT_MAX_BYTES // settings.MIB
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Requête trop volumineuse.")}, status=413)
    return render(request, "413.html", {"limit": limit}, status=413)
