"""/comparer/?cas=…&cas=…: two to four published cases side by side."""

from django import forms
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from usecases.models import UseCase

from .models import Solution

MIN_CASES, MAX_CASES = 2, 4


class CompareForm(forms.Form):
    cas = forms.MultipleChoiceField(label=_("Cas à comparer"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Validated against the published cases below, not against a list of every slug.
        self.fields["cas"].valid_value = lambda value: bool(value) and len(value) <= 170

    def clean_cas(self):
        slugs = list(dict.fromkeys(self.cleaned_data["cas"]))
        if not MIN_CASES <= len(slugs) <= MAX_CASES:
            raise forms.ValidationError(
                _("Cochez de %(min)d à %(max)d cas d’usage à comparer (vous en avez choisi %(n)d).")
                % {"min": MIN_CASES, "max": MAX_CASES, "n": len(slugs)}
            )
        cases = {
            case.slug: case
            for case in UseCase.objects.published()
            .filter(slug__in=slugs)
            .select_related("collectivite", "theme")
            .prefetch_related(
                "techniques", Prefetch("solutions", queryset=Solution.objects.only("name", "slug"))
            )
        }
        missing = [slug for slug in slugs if slug not in cases]
        if missing:
            raise forms.ValidationError(
                _("Ces cas d’usage n’existent pas ou ne sont pas publiés : %(slugs)s.")
                % {"slugs": ", ".join(missing)}
            )
        return [cases[slug] for slug in slugs]


def rows(cases):
    """(label, [value per case]) in the order of the sheet; values are plain text."""

    def join(items):
        return ", ".join(str(item) for item in items)

    table = [
        (_("Collectivité"), [case.collectivite.name for case in cases]),
        (_("Thème"), [case.theme.name for case in cases]),
        (_("Le besoin"), [case.need for case in cases]),
        (_("Techniques d’IA"), [join(case.techniques.all()) for case in cases]),
        (_("Stade"), [case.get_stage_display() for case in cases]),
        (_("Depuis"), [case.start_year or "" for case in cases]),
        (_("Mode de réalisation"), [case.get_build_mode_display() for case in cases]),
        (_("Solution"), [join(s.name for s in case.solutions.all()) for case in cases]),
        (_("Prestataire ou éditeur"), [case.vendor for case in cases]),
        (_("Hébergement"), [case.get_hosting_display() for case in cases]),
        (_("Coût"), [case.get_cost_range_display() for case in cases]),
        (_("Résultats et impacts"), [case.results for case in cases]),
    ]
    transparency = [case.transparency_items() for case in cases]
    shown = {str(label) for label, _values in table}
    for index, item in enumerate(transparency[0]):
        if str(item.label) not in shown:  # hosting is both a fact and a criterion
            table.append((item.label, [items[index].value for items in transparency]))
    return table


def compare(request):
    form = CompareForm(request.GET)
    if not form.is_valid():
        return render(request, "reuse/compare.html", {"form": form}, status=400)
    cases = form.cleaned_data["cas"]
    context = {"form": form, "cases": cases, "rows": rows(cases)}
    return render(request, "reuse/compare.html", context)
