from django.conf import settings


def site(request):
    """Site-wide values the base template needs."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "site_search_query": request.GET.get("q", "")[: settings.SEARCH_MAX_LENGTH],
    }
