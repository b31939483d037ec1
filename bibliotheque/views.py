import logging
import sys
import uuid

from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from collectivites.choices import Kind
from usecases.choices import Stage
from usecases.maps import outlines
from usecases.models import Theme, UseCase, published_count
from usecases.pagecache import per_catalogue_version

from .middleware import DATABASE_ERRORS, database_unavailable

logger = logging.getLogger(__name__)


def home(request):
    """Themes with their counts, the latest cases and a few key figures."""
    published = UseCase.objects.published()
    # Meta.ordering is ignored by GROUP BY queries: the themes' order is explicit.
    themes = Theme.objects.annotate(published_count=published_count("theme")).order_by("position")
    # Counting 100,000 cases takes time: once per catalogue version, not per request.
    themes = per_catalogue_version("home-themes", lambda: list(themes))
    figures = per_catalogue_version(
        "home-figures",
        lambda: published.aggregate(
            use_cases=Count("pk"),
            # Collectivités only: OPSN, MDPH or syndicats leading a case are not counted.
            collectivites=Count(
                "collectivite", distinct=True, filter=~Q(collectivite__kind=Kind.OTHER)
            ),
            departements=Count("collectivite__departement", distinct=True),
            stopped=Count("pk", filter=Q(stage=Stage.STOPPED)),
        ),
    )
    context = {
        "themes": themes,
        "latest_cases": published.with_card_data()[:6],
        "figures": figures,
        "map_size": (outlines()["width"], outlines()["height"]),
    }
    return render(request, "home.html", context)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # A database error raised outside a view (e.g. saving the session) still gets the 503 page.
    if isinstance(sys.exception(), DATABASE_ERRORS):
        return database_unavailable(request)
    # A short reference shown to the person and logged with the traceback, so that a report
    # (« erreur 3f9c… ») leads to the right log line; the page itself shows no detail.
    error_id = uuid.uuid4().hex[:12]
    logger.error(
        "Server error %s on %s", error_id, request.path, exc_info=sys.exception() is not None
    )
    # Rendered without the request: no context processor may fail a second time.
    return HttpResponseServerError(render_to_string("500.html", {"error_id": error_id}))


@never_cache
def health(request):
    """For probes and load balancers: 200 when the database answers, 503 otherwise.

    Says nothing about versions or configuration: nothing an attacker could fingerprint.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request, reason=""):
    """Django's CSRF refusal, in French and in the site's layout (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
