from django.conf import settings
from django.core.exceptions import SuspiciousOperation


def site(request):
    """Site-wide values the base template needs."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        # The search fields' maxlength: the same limit as the server's validation.
        "SEARCH_MAX_LENGTH": settings.SEARCH_MAX_LENGTH,
        "site_search_query": _search_query(request),
    }


def _search_query(request):
    try:
        return request.GET.get("q", "")[: settings.SEARCH_MAX_LENGTH]
    except SuspiciousOperation:
        # Too many query fields: the 400 page renders through here and must not fail again.
        return ""
