"""The criteria of an alert: those of a list URL, evaluated by the catalogue engine.

A subscription stores the list's query string in a canonical form (known parameters only, sorted,
without the page nor the sort order), so that two URLs asking for the same cases are one alert.
"""

from django.http import QueryDict
from django.utils.translation import gettext as _

from usecases.listing import PARAMETERS, Listing
from usecases.models import UseCase

# Parameters of a list URL that do not change which cases match.
IGNORED = {"tri", "page"}


class InvalidCriteria(ValueError):
    def __init__(self, listing):
        super().__init__("Invalid criteria.")
        self.listing = listing


def _listing(query_string, index=None):
    return Listing(QueryDict(query_string), index=index)


def canonical(query):
    """The canonical criteria of a list's QueryDict (or query string); InvalidCriteria if bad."""
    if isinstance(query, str):
        query = QueryDict(query)
    names = set(PARAMETERS) - IGNORED
    pairs = sorted(
        (name, value.strip())
        for name, values in query.lists()
        if name in names
        for value in values
        if value.strip()
    )
    result = QueryDict(mutable=True)
    for name, value in dict.fromkeys(pairs):
        result.appendlist(name, value)
    query_string = result.urlencode()
    listing = _listing(query_string)
    if not listing.is_valid():
        raise InvalidCriteria(listing)
    return query_string


def matching(criteria, index=None):
    """Published cases matching stored criteria (none if they no longer validate), in SQL.

    `index`: the catalogue index (usecases.listing), which holds the filters' choices.
    """
    listing = _listing(criteria, index)
    if not listing.is_valid():
        return UseCase.objects.none()
    return listing.queryset(UseCase.objects.published())


def describe(criteria, index=None):
    """The criteria in words: ["Rechercher : « eau »", "Thème : Environnement", …]."""
    listing = _listing(criteria, index)
    if not criteria or not listing.is_valid():
        return []
    lines = []
    for name, value in listing.form.cleaned_data.items():
        if value in (None, "", []) or name in IGNORED:
            continue
        field = listing.form.fields[name]
        values = value if isinstance(value, list) else [value]
        # Choices of the form, else the names the index keeps (tags, a collectivité).
        choices = {**listing.index.labels.get(name, {})}
        choices.update({str(key): label for key, label in getattr(field, "choices", [])})
        shown = [
            f"« {item} »" if name == "q" else str(choices.get(str(item), item)) for item in values
        ]
        lines.append(
            _("%(label)s : %(values)s") % {"label": field.label, "values": ", ".join(shown)}
        )
    return lines
