"""Controls around a list of results: removable filter chips and the export links.

Both keep the current criteria: {% without_filter "stade" "deployment" %} is the query string
of the same list without that one value; {% results_query theme="mobilites" %} is the current
query string for an export (no page number), with the page's own fixed criteria added.
"""

from django import template

register = template.Library()


def current_query(context):
    query = context["request"].GET.copy()
    query.pop("page", None)
    return query


@register.simple_tag(takes_context=True)
def without_filter(context, name, value=None):
    """`?…` without `name` (or only without its `value`), back on the first page."""
    query = current_query(context)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [item for item in query.getlist(name) if item != str(value)])
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def results_query(context, **fixed):
    """The current criteria for an export of the same results (every page of them)."""
    query = current_query(context)
    query.pop("comparer", None)  # The list's compare mode (?comparer=1) is not a criterion.
    for name, value in fixed.items():
        query[name] = value
    return query.urlencode()


@register.filter
def applied_options(facets):
    """(facet, option) for every filter option the visitor chose."""
    return [(facet, option) for facet in facets for option in facet.selected]
