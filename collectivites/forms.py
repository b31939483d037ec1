"""Forms of the referential: the directory search and a collectivité typed in a form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bibliotheque.text import normalize

from . import lookup
from .choices import Kind
from .models import Collectivite, Departement, Region


def french_order(rows):
    """(code, name) rows in French alphabetical order: « Île-de-France » among the I."""
    return sorted(rows, key=lambda row: normalize(row[1]))


class CollectiviteSearchForm(forms.Form):
    """The directory's search and filters (/collectivites/)."""

    q = forms.CharField(label=_("Nom, code INSEE ou SIREN"), max_length=100, required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    toutes = forms.BooleanField(
        label=_("Inclure les collectivités sans cas d’usage publié"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Tous les types")), *Kind.choices]
        self.fields["region"].choices = [
            ("", _("Toutes les régions")),
            *french_order(Region.objects.values_list("code", "name")),
        ]
        self.fields["departement"].choices = [
            ("", _("Tous les départements")),
            *(
                (code, f"{name} ({code})")
                for code, name in Departement.objects.order_by("code").values_list("code", "name")
            ),
        ]

    def filter(self, queryset):
        """`queryset` narrowed to the valid form's criteria."""
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.search(data["q"])
        if data["type"]:
            queryset = queryset.filter(kind=data["type"])
        if data["region"]:
            queryset = queryset.filter(region__code=data["region"])
        if data["departement"]:
            queryset = queryset.filter(departement__code=data["departement"])
        return queryset


class CollectiviteLookupMixin:
    """A text field resolved to one collectivité; candidates are offered when it is ambiguous.

    Without JavaScript the person types a name or a code; if several collectivités match, the
    form comes back with a list of radio buttons. With JavaScript, suggestions fill the
    hidden `collectivite` field directly.
    """

    def add_collectivite_fields(self, required=True):
        self.fields["collectivite_query"] = forms.CharField(
            label=_("Votre collectivité"),
            help_text=_(
                "Son nom, son code INSEE ou son SIREN, par exemple « Rennes » ou « 35238 »."
            ),
            max_length=200,
            required=required,
            widget=forms.TextInput(
                # WCAG 1.3.5: the name of the person's organisation.
                attrs={"data-collectivite-autocomplete": "", "autocomplete": "organization"}
            ),
        )
        self.fields["collectivite"] = forms.ModelChoiceField(
            queryset=Collectivite.objects.all(),
            to_field_name="slug",
            required=False,
            widget=forms.HiddenInput,
            label=_("Précisez votre collectivité"),
        )
        self.collectivite_candidates = []

    def clean_collectivite_choice(self):
        chosen = self.cleaned_data.get("collectivite")
        if chosen:
            return chosen
        query = self.cleaned_data.get("collectivite_query", "")
        if not query.strip():
            return None  # the field's own « required » message says it all
        found = lookup.candidates(query)
        if len(found) == 1:
            return found[0]
        if not found:
            self.add_error(
                "collectivite_query",
                _("Aucune collectivité ne correspond à « %(query)s ».") % {"query": query},
            )
            return None
        self.collectivite_candidates = found
        self.fields["collectivite"].widget = forms.RadioSelect(
            choices=[(c.slug, lookup.label(c)) for c in found]
        )
        self.add_error(
            "collectivite_query",
            _("Plusieurs collectivités correspondent : choisissez la vôtre dans la liste."),
        )
        return None
