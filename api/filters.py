"""The API lists use cases through the catalogue engine (usecases.listing), like /cas-d-usage/."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from collectivites.forms import CollectiviteSearchForm
from usecases.listing import Listing
from usecases.listing.criteria import SlugListField
from usecases.listing.listing import ListingForm
from usecases.models import UseCase


def _openapi_schema(field):
    """The OpenAPI schema of one query parameter, from its form field."""
    choices = [value for value, _label in getattr(field, "choices", []) if value != ""]
    item = {"type": "string", **({"enum": choices} if choices else {})}
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": "array", "items": item}
    if isinstance(field, SlugListField):
        return {"type": "array", "items": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}}
    if isinstance(field, forms.IntegerField):
        return {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
    if getattr(field, "max_length", None):
        return {**item, "maxLength": field.max_length}
    return item


class UseCaseFilterBackend(BaseFilterBackend):
    """Binds a Listing to the query string, so the API filters, counts and orders like the list."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") != "list":
            return queryset
        listing = Listing(request.query_params)
        if not listing.is_valid():
            raise ValidationError(listing.error_payload())
        # The index counts and orders the results; a page reads its cases only.
        return listing.sequence(queryset)

    def get_schema_operation_parameters(self, view):
        parameters = []
        # Values read from tables (themes, régions…) are documented by hints, not listed.
        form = ListingForm(None, reference={})
        for name, field in form.fields.items():
            schema = _openapi_schema(field)
            parameter = {
                "name": name,
                "in": "query",
                "required": False,
                "description": str(field.label),
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
        # The declared fields, not a form: its choices are read from the database.
        fields = CollectiviteSearchForm.base_fields
        return [
            {
                "name": "q",
                "in": "query",
                "required": False,
                "description": str(fields["q"].label),
                "schema": {"type": "string", "maxLength": fields["q"].max_length},
            },
            {
                "name": "toutes",
                "in": "query",
                "required": False,
                "description": str(fields["toutes"].label),
                "schema": {"type": "boolean"},
            },
        ]
