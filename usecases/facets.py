"""Facet counts: for each option of each criterion, how many results choosing it would give.

Each criterion is counted over the results filtered by every *other* criterion, so that the
counts of a criterion's options stay meaningful while one of them is selected. All criteria
are counted in one UNION ALL query.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast

from collectivites.choices import Kind

from .choices import BuildMode, Hosting, Stage

# criterion -> (grouped expression, label expression or None)
FACET_SOURCES = {
    "theme": ("theme__slug", None),
    "region": ("collectivite__region__code", None),
    "departement": ("collectivite__departement__code", None),
    "type": ("collectivite__kind", None),
    "stade": ("stage", None),
    "technique": ("techniques__slug", None),
    "hebergement": ("hosting", None),
    "realisation": ("build_mode", None),
    "mot_cle": ("tags__slug", "tags__name"),
    "annee": ("start_year", None),
}
STATIC_CHOICES = {
    "type": Kind.choices,
    "stade": Stage.choices,
    "hebergement": Hosting.choices,
    "realisation": BuildMode.choices,
}
# Small, fixed vocabularies are listed in full (with zeros); the others only where non-zero.
SHOW_ZERO = {"theme", "type", "stade", "technique", "hebergement", "realisation"}
# The most used tags only: each option weighs on every list page (EcoIndex grade A, issue #5).
MAX_TAGS = 12


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)
    multiple: bool = True

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


def _part(queryset, name, value_expr, label_expr):
    return (
        queryset.order_by()
        .annotate(
            facet_name=Value(name, output_field=CharField()),
            facet_value=Cast(value_expr, output_field=CharField()),
            facet_label=Cast(label_expr, output_field=CharField())
            if label_expr
            else Value("", output_field=CharField()),
        )
        .values("facet_name", "facet_value", "facet_label")
        .annotate(facet_count=Count("pk"))
        .values_list("facet_name", "facet_value", "facet_label", "facet_count")
    )


def count_rows(filterset):
    parts = [
        _part(filterset.queryset_without(name), name, value_expr, label_expr)
        for name, (value_expr, label_expr) in FACET_SOURCES.items()
    ]
    # A combined query falls back to the model ordering unless told otherwise.
    return list(parts[0].union(*parts[1:], all=True).order_by())


def _selected_values(filterset, name):
    value = filterset.form.cleaned_data.get(name)
    if value in (None, ""):
        return set()
    if isinstance(value, list | tuple):
        return {str(item) for item in value}
    return {str(value)}


def build_facets(filterset):
    """The facets of a valid filterset, as Facet objects ready for the template."""
    counts = {name: {} for name in FACET_SOURCES}
    labels = {}
    for name, value, label, count in count_rows(filterset):
        if value is None:
            continue
        counts[name][value] = count
        if label:
            labels[(name, value)] = label
    facets = []
    for name in FACET_SOURCES:
        selected = _selected_values(filterset, name)
        filter_ = filterset.filters[name]
        if name in STATIC_CHOICES:
            choices = STATIC_CHOICES[name]
        elif name in filterset.reference:
            choices = filterset.reference[name]
        elif name == "annee":
            choices = [(year, year) for year in sorted(counts[name], reverse=True)]
        else:
            ranked = sorted(counts[name].items(), key=lambda item: (-item[1], item[0]))
            keep = {value for value, _count in ranked[:MAX_TAGS]} | selected
            choices = sorted(
                ((value, labels.get((name, value), value)) for value in keep),
                key=lambda choice: choice[1].lower(),
            )
        options = []
        for value, label in choices:
            value = str(value)
            count = counts[name].get(value, 0)
            if count or name in SHOW_ZERO or value in selected:
                options.append(FacetOption(value, str(label), count, value in selected))
        facets.append(
            Facet(
                name=name,
                label=str(filter_.label),
                options=options,
                multiple=name not in ("region", "departement", "annee"),
            )
        )
    return facets
