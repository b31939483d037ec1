from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bibliotheque.antispam import HumanCheckMixin, honeypot_field, started_field
from usecases.models import UseCase

from .models import ReuseDeclaration, Solution

# Characters that have no place in a name and would split an e-mail header.
CONTROL_CHARACTERS = {chr(code) for code in range(32)} | {"\x7f", "\u2028", "\u2029"}


def single_line(value):
    """A one-line text: control characters (newlines included) are refused, not stripped."""
    if CONTROL_CHARACTERS & set(value):
        raise forms.ValidationError(_("Ce champ doit tenir sur une seule ligne."))
    return " ".join(value.split())


class ContactForm(HumanCheckMixin, forms.Form):
    """« Contacter l’équipe »: relayed by e-mail, the team's address is never shown."""

    name = forms.CharField(label=_("Votre nom"), max_length=100)
    organisation = forms.CharField(
        label=_("Votre collectivité ou organisme"),
        max_length=200,
    )
    email = forms.EmailField(
        label=_("Votre e-mail professionnel"),
        help_text=_("L’équipe vous répondra à cette adresse ; elle n’est jamais publiée."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Votre message"),
        max_length=3000,
        widget=forms.Textarea({"rows": 8, "maxlength": 3000}),
    )
    website = honeypot_field()
    started = started_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_started()
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    def clean_name(self):
        return single_line(self.cleaned_data["name"])

    def clean_organisation(self):
        return single_line(self.cleaned_data["organisation"])

    def clean(self):
        cleaned_data = super().clean()
        self.check_human(cleaned_data)
        return cleaned_data


class ReuseDeclarationForm(forms.ModelForm):
    """What a contributor says for their own collectivité; who and where come from the server."""

    class Meta:
        model = ReuseDeclaration
        fields = ["kind", "year", "note", "url", "solution"]
        widgets = {
            "kind": forms.RadioSelect,
            "note": forms.Textarea({"rows": 3, "maxlength": 300}),
        }
        help_texts = {
            "year": _("L’année de mise en place, de décision ou d’arrêt."),
            "note": _("Facultatif, 300 caractères au plus : ce que vous avez adapté, le contexte."),
            "url": _("Facultatif : une page publique de votre projet (https)."),
        }

    def __init__(self, *args, use_case: UseCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = self.fields["kind"].choices[1:]  # no empty radio
        self.fields["solution"].queryset = Solution.objects.filter(use_cases=use_case)
        self.fields["solution"].empty_label = _("Une autre solution, ou je ne sais pas")
        self.fields["solution"].required = False
        self.fields["url"].widget.attrs["placeholder"] = "https://"
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year + 5:
            raise forms.ValidationError(_("Indiquez une année proche."))
        return year


class SolutionSearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher une solution"), max_length=100, required=False)


SOLUTION_SEPARATOR = ";"
# The fields SolutionFieldMixin adds to the sheet form (not model fields).
SOLUTION_FIELDS = ("solutions_text", "solutions_confirm_new")


class SolutionFieldMixin:
    """The sheet form's « Solution » field: pick existing solutions by name, or propose new ones.

    Without JavaScript the contributor types names separated by « ; »; a name matching an
    existing solution (case-insensitive) picks it; a new name close to existing ones is
    questioned once (tick the box to propose it anyway). With JavaScript, suggestions from
    /solutions/suggestions/ complete the name as it is typed.
    """

    def add_solution_fields(self):
        self.fields["solutions_text"] = forms.CharField(
            label=_("Solution utilisée"),
            required=False,
            max_length=400,
            help_text=_(
                "Le nom du produit, du logiciel libre ou du développement, tel qu’il figure dans "
                "la liste des solutions ; plusieurs noms séparés par « ; ». Un nom nouveau est "
                "proposé à la modération."
            ),
            widget=forms.TextInput(attrs={"data-solution-autocomplete": "", "autocomplete": "off"}),
        )
        self.fields["solutions_confirm_new"] = forms.BooleanField(
            label=_("Je confirme : ce sont de nouvelles solutions, pas celles proposées"),
            required=False,
        )
        self.new_solution_names, self.picked_solutions = [], []
        if self.instance.pk and not self.is_bound and "solutions_text" not in self.initial:
            self.initial["solutions_text"] = solutions_label(self.instance.solutions.all())

    def clean_solutions(self, cleaned_data):
        """Resolve the typed names; call it from clean()."""
        text = cleaned_data.get("solutions_text") or ""
        names = []
        for part in text.split(SOLUTION_SEPARATOR):
            name = " ".join(part.split())
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        if any(len(name) > 120 for name in names):
            self.add_error("solutions_text", _("Un nom de solution compte 120 caractères au plus."))
            return
        existing = {}
        if names:
            query = Q()
            for name in names:
                query |= Q(name__iexact=name)
            existing = {s.name.lower(): s for s in Solution.objects.filter(query)}
        self.picked_solutions = [existing[n.lower()] for n in names if n.lower() in existing]
        self.new_solution_names = [n for n in names if n.lower() not in existing]
        if self.new_solution_names and not cleaned_data.get("solutions_confirm_new"):
            close = close_solutions(self.new_solution_names)
            if close:
                self.add_error(
                    "solutions_text",
                    _(
                        "Des solutions proches existent déjà : %(names)s. Reprenez le nom exact "
                        "de l’une d’elles, ou cochez la case pour proposer une nouvelle solution."
                    )
                    % {"names": ", ".join(f"« {s.name} »" for s in close)},
                )

    def resolved_solutions(self):
        """The picked solutions and the proposed ones, created now (call it when saving)."""
        from . import services

        proposed = [services.solution_propose(name=name) for name in self.new_solution_names]
        return [*self.picked_solutions, *proposed]


def solutions_label(solutions):
    return f" {SOLUTION_SEPARATOR} ".join(solution.name for solution in solutions)


def close_solutions(names, limit=5):
    """Existing solutions whose name contains, or is contained in, one of `names`."""
    condition = Q()
    for name in names:
        for word in [word for word in name.split() if len(word) >= 3][:3]:
            condition |= Q(name__icontains=word)
    if not condition:
        return []
    return list(Solution.objects.filter(condition).order_by("name")[:limit])
