"""Forms of the contributor journey: sign-up, the sheet, its resources, error reports."""

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectivites import lookup
from collectivites.models import Collectivite

from .models import (
    CONTENT_FIELDS,
    ContributorProfile,
    ErrorReport,
    Resource,
    Technique,
    UseCase,
)
from .validators import validate_document


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
                attrs={"data-collectivite-autocomplete": "", "autocomplete": "off"}
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


class SignupForm(CollectiviteLookupMixin, forms.Form):
    """The extra sign-up fields (django-allauth adds e-mail and password)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_collectivite_fields()

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data["collectivite"] = self.clean_collectivite_choice()
        return cleaned_data

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        ContributorProfile.objects.update_or_create(
            user=user, defaults={"collectivite": self.cleaned_data["collectivite"]}
        )


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

SECTIONS = [
    (_("L’essentiel"), ["title", "summary", "theme", "tags", "partners_text"]),
    (_("Le besoin et la solution"), ["need", "solution"]),
    (_("L’IA et les données"), ["techniques", "model_used", "data_used"]),
    (_("Stade et résultats"), ["stage", "start_year", "end_year", "results"]),
    (
        _("Réalisation et hébergement"),
        ["build_mode", "vendor", "source_code_url", "cost_range", "funding", "hosting"],
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


class UseCaseForm(EditConflictMixin, forms.ModelForm):
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
        self.add_edited_from_field()
        if self.instance.pk and not self.is_bound:
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
        if cleaned_data.get("contact_is_public") and not cleaned_data.get("contact_email"):
            self.add_error("contact_email", _("Indiquez l’adresse à afficher."))
        return cleaned_data


class ResourceForm(forms.ModelForm):
    """A link (https only) or a document checked from its content."""

    class Meta:
        model = Resource
        fields = ["title", "kind", "url", "file", "description"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ".pdf,.odt,.docx,.xlsx,.csv"})}
        help_texts = {
            "url": _("Un lien commençant par https://, ou bien un document ci-dessous."),
            "file": _("PDF, ODT, DOCX, XLSX ou CSV, 10 Mo au plus."),
        }

    def clean_url(self):
        # URLField would complete « //evil.tld » or « evil.tld » into an https address: the
        # contributor must write the scheme, so that what is stored is what they meant.
        raw = (self.data.get(self.add_prefix("url")) or "").strip()
        if raw and not raw.lower().startswith("https://"):
            raise forms.ValidationError(
                _("Seules les adresses commençant par https:// sont acceptées.")
            )
        return self.cleaned_data["url"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            validate_document(upload)
        return upload

    def clean(self):
        cleaned_data = super().clean()
        has_url, has_file = bool(cleaned_data.get("url")), bool(cleaned_data.get("file"))
        if has_url == has_file and not self.errors:
            raise forms.ValidationError(
                _("Indiquez soit un lien, soit un document (l’un ou l’autre).")
            )
        return cleaned_data


class ErrorReportForm(forms.ModelForm):
    """Open to anyone; a honeypot and a minimum fill time keep most robots out."""

    MIN_SECONDS = 3
    website = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = ErrorReport
        fields = ["message", "email"]
        widgets = {"message": forms.Textarea({"rows": 6, "maxlength": 3000})}
        labels = {"message": _("Votre message")}
        help_texts = {
            "email": _("Seulement si vous souhaitez une réponse ; elle n’est jamais publiée.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signing.dumps(timezone.now().timestamp())

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("website"):
            raise forms.ValidationError(_("Votre message n’a pas pu être envoyé."))
        try:
            started = signing.loads(cleaned_data.get("started", ""), max_age=24 * 3600)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("Le formulaire a expiré : rechargez la page et réessayez.")
            ) from None
        if timezone.now().timestamp() - float(started) < self.MIN_SECONDS:
            raise forms.ValidationError(
                _("Envoi trop rapide : relisez votre message puis envoyez-le à nouveau.")
            )
        return cleaned_data


class ModerationDecisionForm(forms.Form):
    DECISIONS = [
        ("publish", _("Publier")),
        ("request_changes", _("Demander des modifications")),
        ("reject", _("Refuser")),
    ]
    decision = forms.ChoiceField(label=_("Décision"), choices=DECISIONS, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message au contributeur"),
        required=False,
        widget=forms.Textarea({"rows": 5}),
        help_text=_("Obligatoire pour une demande de modifications ou un refus."),
    )

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("decision") in ("request_changes", "reject")
            and not cleaned_data.get("message", "").strip()
        ):
            self.add_error("message", _("Expliquez votre décision au contributeur."))
        return cleaned_data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password


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
