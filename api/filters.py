"""The API filters use cases with UseCaseFilterSet, the one definition of the criteria."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from collectivites.forms import CollectiviteSearchForm
from usecases.exports import filter_errors
from usecases.facets import CatalogueResults, catalogue_index
from usecases.filters import SlugListFilter, UseCaseFilterSet
from usecases.models import UseCase


def _openapi_schema(filter_):
    """The OpenAPI schema of one filter's query parameter."""
    choices = [value for value, _label in filter_.extra.get("choices") or []]
    item = {"type": "string", **({"enum": choices} if choices else {})}
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        return {"type": "array", "items": item}
    if isinstance(filter_, SlugListFilter):
        return {"type": "array", "items": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}}
    if isinstance(filter_, django_filters.NumberFilter):
        return {
            "type": "integer",
            "minimum": filter_.extra["min_value"],
            "maximum": filter_.extra["max_value"],
        }
    if "max_length" in filter_.extra:
        return {**item, "maxLength": filter_.extra["max_length"]}
    return item


class UseCaseFilterBackend(BaseFilterBackend):
    """Binds UseCaseFilterSet to the query string, so the API filters like /cas-d-usage/."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") != "list":
            return queryset
        index = catalogue_index()
        filterset = UseCaseFilterSet(
            request.query_params, queryset=queryset, request=request, reference=index.reference
        )
        if not filterset.is_valid():
            raise ValidationError(
                {
                    "detail": _("Les paramètres de filtre ne sont pas valides."),
                    "errors": filter_errors(filterset),
                }
            )
        # The catalogue index counts and orders the results; a page reads its cases only.
        return CatalogueResults(filterset, index=index).sequence(queryset)

    def get_schema_operation_parameters(self, view):
        parameters = []
        for name, filter_ in UseCaseFilterSet.base_filters.items():
            schema = _openapi_schema(filter_)
            parameter = {
                "name": name,
                "in": "query",
                "required": False,
                "description": str(filter_.label),
                "schema": schema,
            }
            if schema["type"] == "array":
                parameter.update(style="form", explode=True)
            parameters.append(parameter)
        return parameters


class CollectiviteSearchBackend(BaseFilterBackend):
    """`q` (name, INSEE code or SIREN) and `toutes`, validated by the HTML list's form."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") != "list":
            return queryset
        form = CollectiviteSearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {
                    "detail": _("Les paramètres de recherche ne sont pas valides."),
                    "errors": {name: list(messages) for name, messages in form.errors.items()},
                }
            )
        if form.cleaned_data["q"]:
            queryset = queryset.search(form.cleaned_data["q"])
        if not form.cleaned_data["toutes"]:
            published = UseCase.objects.published().filter(collectivite=OuterRef("pk"))
            queryset = queryset.filter(Exists(published))
        return queryset

    def get_schema_operation_parameters(self, view):
        form = CollectiviteSearchForm()
        return [
            {
                "name": "q",
                "in": "query",
                "required": False,
                "description": str(form.fields["q"].label),
                "schema": {"type": "string", "maxLength": form.fields["q"].max_length},
            },
            {
                "name": "toutes",
                "in": "query",
                "required": False,
                "description": str(form.fields["toutes"].label),
                "schema": {"type": "boolean"},
            },
        ]
