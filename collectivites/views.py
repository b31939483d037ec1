"""The referential's own view: suggestions for the collectivité field of the forms."""

from django.http import JsonResponse

from . import lookup


def suggestions(request):
    """JSON suggestions for the collectivité field (progressive enhancement of the forms)."""
    query = request.GET.get("q", "")[:100]
    results = lookup.candidates(query) if len(query.strip()) >= 2 else []
    return JsonResponse({"results": [{"slug": c.slug, "label": lookup.label(c)} for c in results]})
