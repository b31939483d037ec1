"""The contributor's form of a sheet and the moderators' one, with their edit-conflict check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from collectivites import lookup
from usecases.mutualisation.forms import SolutionFieldMixin

from ..choices import Hosting
from ..models import CONTENT_FIELDS, Technique, UseCase
from .key_figures import KEY_FIGURE_FIELDS, KeyFigureFieldsMixin

# Tier 1: what a sheet needs before it can be submitted for review.
REQUIRED_FOR_SUBMISSION = [
    "title",
    "summary",
    "theme",
    "need",
    "solution",
    "techniques",
    "stage",
    "start_year",
    "build_mode",
    "contact_email",
]

# The sections of a sheet, named once: the contributor's form and the admin's fieldsets
# (usecases.admin, from the second section on) group the fields the same way.
SECTIONS = [
    (_("L’essentiel"), ["title", "summary", "theme", "tags", "partners_text", "open_to_others"]),
    (_("Le besoin et la solution"), ["need", "solution"]),
    (_("L’IA et les données"), ["techniques", "model_used", "data_used"]),
    (_("Stade et résultats"), ["stage", "start_year", "end_year", "results"]),
    (_("Chiffres clés (quatre au plus)"), KEY_FIGURE_FIELDS),
    (
        _("Réalisation et hébergement"),
        [
            "build_mode",
            "solutions_text",
            "solutions_confirm_new",
            "vendor",
            "source_code_url",
            "cost_range",
            "funding",
            "hosting",
            "hosting_data_in_eu",
        ],
    ),
    (
        _("Transparence"),
        [
            "human_oversight",
            "human_oversight_details",
            "personal_data",
            "impact_assessment",
            "ai_act_risk",
            "environmental_footprint",
            "lessons_learned",
        ],
    ),
    (_("Contact"), ["contact_role", "contact_email", "contact_is_public", "public_url"]),
]

HELP_TEXTS = {
    "partners_text": _(
        "Une collectivité par ligne, par son nom ou son code officiel (INSEE ou SIREN)."
    ),
    "need": _("Quel problème la collectivité voulait-elle résoudre, et pourquoi avec l’IA ?"),
    "solution": _("Ce que fait l’outil, qui l’utilise, comment il s’insère dans le service."),
    "results": _("Ce qui a changé, avec des chiffres et la façon dont ils ont été mesurés."),
    "lessons_learned": _("Ce qui a marché, ce qui n’a pas marché : c’est le plus utile à lire."),
    "contact_email": _("Une adresse fonctionnelle plutôt que nominative (dsi@…, projets@…)."),
    "source_code_url": _("Adresse commençant par https://."),
    "public_url": _("Adresse commençant par https://."),
}


class EditConflictMixin:
    """Two people editing the same sheet: the second save is refused, not silently applied.

    The form carries the `updated_at` it was built from; saving checks it still matches.
    """

    CONFLICT_MESSAGE = _(
        "Cette fiche a été modifiée par quelqu’un d’autre pendant que vous la modifiiez. "
        "Rechargez la page pour repartir de la dernière version (copiez d’abord vos ajouts)."
    )

    def add_edited_from_field(self):
        if self.instance.pk and self.instance.updated_at:
            self.initial["edited_from"] = self.instance.updated_at.isoformat()

    def edited_since(self, current_updated_at):
        token = self.cleaned_data.get("edited_from") or self.data.get(
            self.add_prefix("edited_from"), ""
        )
        return bool(token) and current_updated_at.isoformat() != token

    def clean_edited_from(self):
        token = self.cleaned_data.get("edited_from", "")
        if self.instance.pk and token:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current and current.isoformat() != token:
                self.add_error(None, forms.ValidationError(self.CONFLICT_MESSAGE, code="conflict"))
        return token


class UseCaseForm(SolutionFieldMixin, KeyFigureFieldsMixin, EditConflictMixin, forms.ModelForm):
    edited_from = forms.CharField(required=False, widget=forms.HiddenInput)
    partners_text = forms.CharField(
        label=_("Collectivités partenaires"), required=False, widget=forms.Textarea({"rows": 3})
    )

    class Meta:
        model = UseCase
        fields = [
            *CONTENT_FIELDS,
            "theme",
            "tags",
            "techniques",
            "contact_role",
            "contact_email",
            "contact_is_public",
            "open_to_others",
        ]
        widgets = {
            "summary": forms.Textarea({"rows": 3, "maxlength": 300}),
            "techniques": forms.CheckboxSelectMultiple,
            "need": forms.Textarea({"rows": 6}),
            "solution": forms.Textarea({"rows": 6}),
            "data_used": forms.Textarea({"rows": 3}),
            "results": forms.Textarea({"rows": 5}),
            "human_oversight_details": forms.Textarea({"rows": 3}),
            "environmental_footprint": forms.Textarea({"rows": 3}),
            "lessons_learned": forms.Textarea({"rows": 5}),
        }

    def __init__(self, *args, for_submission=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_submission = for_submission
        self.fields["techniques"].queryset = Technique.objects.all()
        for name, field in self.fields.items():
            # Drafts may be saved half-written: only the title is always required.
            field.required = name == "title"
            if name in HELP_TEXTS:
                field.help_text = HELP_TEXTS[name]
            if name in REQUIRED_FOR_SUBMISSION:
                field.label = _("%(label)s (obligatoire pour soumettre)") % {"label": field.label}
        for name in ("source_code_url", "public_url"):
            self.fields[name].widget.attrs["placeholder"] = "https://"
        self.add_key_figure_fields()
        self.add_edited_from_field()
        self.add_solution_fields()
        # An update form passes the proposed partners in `initial`: they win over the
        # published ones, or re-sending it unchanged would silently revert them.
        if self.instance.pk and not self.is_bound and "partners_text" not in self.initial:
            self.initial["partners_text"] = "\n".join(
                lookup.label(partner)
                for partner in self.instance.partners.select_related("departement")
            )

    def sections(self):
        """The fields grouped in the sections of the sheet, for the template."""
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def clean_partners_text(self):
        partners, problems = [], []
        for line in self.cleaned_data["partners_text"].splitlines():
            if not line.strip():
                continue
            found = lookup.candidates(line)
            if len(found) == 1:
                partners.append(found[0])
            elif not found:
                problems.append(_("« %(line)s » : aucune collectivité trouvée.") % {"line": line})
            else:
                problems.append(
                    _(
                        "« %(line)s » : plusieurs collectivités possibles, "
                        "précisez le code (%(codes)s)."
                    )
                    % {"line": line, "codes": ", ".join(lookup.label(c) for c in found[:5])}
                )
        if problems:
            raise forms.ValidationError(problems)
        self.partners = partners
        return "\n".join(lookup.label(partner) for partner in partners)

    def clean(self):
        cleaned_data = super().clean()
        if self.for_submission:
            for name in REQUIRED_FOR_SUBMISSION:
                if name not in self.errors and not cleaned_data.get(name):
                    self.add_error(
                        name, _("Ce champ est nécessaire pour soumettre la fiche à la modération.")
                    )
        start, end = cleaned_data.get("start_year"), cleaned_data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("L’année de fin précède l’année de début."))
        self.clean_key_figures(cleaned_data)
        if cleaned_data.get("hosting_data_in_eu") and cleaned_data.get("hosting") != Hosting.SAAS:
            self.add_error(
                "hosting_data_in_eu",
                _("Ne se renseigne que pour un service en ligne de l’éditeur (SaaS)."),
            )
        if cleaned_data.get("contact_is_public") and not cleaned_data.get("contact_email"):
            self.add_error("contact_email", _("Indiquez l’adresse à afficher."))
        self.clean_solutions(cleaned_data)
        return cleaned_data


class UseCaseAdminForm(EditConflictMixin, forms.ModelForm):
    """The moderators' form, with the same protection against overwriting a concurrent edit."""

    edited_from = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = UseCase
        # The admin builds the field list from UseCaseAdmin.fieldsets.
        fields = ["title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_edited_from_field()
