"""The criteria of an alert: those of a list URL, evaluated by the catalogue's own filters.

A subscription stores the list's query string in a canonical form (known parameters only, sorted,
without the page nor the sort order), so that two URLs asking for the same cases are one alert.
"""

from django.http import QueryDict
from django.utils.translation import gettext as _

from usecases.filters import UseCaseFilterSet
from usecases.models import UseCase

# Parameters of a list URL that do not change which cases match.
IGNORED = {"tri", "page"}


class InvalidCriteria(ValueError):
    def __init__(self, filterset):
        super().__init__("Invalid criteria.")
        self.filterset = filterset


def _filterset(query_string, reference=None):
    return UseCaseFilterSet(
        QueryDict(query_string),
        queryset=UseCase.objects.published(),
        request=None,
        reference=reference,
    )


def canonical(query):
    """The canonical criteria of a list's QueryDict (or query string); InvalidCriteria if bad."""
    if isinstance(query, str):
        query = QueryDict(query)
    names = set(UseCaseFilterSet.base_filters) - IGNORED
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
    filterset = _filterset(query_string)
    if not filterset.is_valid():
        raise InvalidCriteria(filterset)
    return query_string


def matching(criteria, reference=None):
    """Published cases matching stored criteria (none if they no longer validate)."""
    filterset = _filterset(criteria, reference)
    if not filterset.is_valid():
        return UseCase.objects.none()
    return filterset.qs


def describe(criteria, reference=None):
    """The criteria in words: ["Rechercher : « eau »", "Thème : Environnement", …]."""
    filterset = _filterset(criteria, reference)
    if not criteria or not filterset.is_valid():
        return []
    lines = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", []) or name in IGNORED:
            continue
        field = filterset.form.fields[name]
        values = value if isinstance(value, list) else [value]
        choices = {str(key): label for key, label in getattr(field, "choices", [])}
        shown = [
            f"« {item} »" if name == "q" else choices.get(str(item), str(item)) for item in values
        ]
        lines.append(
            _("%(label)s : %(values)s") % {"label": field.label, "values": ", ".join(shown)}
        )
    return lines
