"""Observatory of dependencies: what the catalogued projects rely on, and how many collectivités.

A collectivité relies on a solution when it leads a published case that names it, or when it
declared (visibly) that it runs such a case too — with the solution it named, or else the
case's own. From those (collectivité, solution) pairs come the figures by publisher location,
model family, kind of solution and publisher; the hosting figure counts published cases by
their declared hosting. Five queries, computed once per catalogue version (page cache counter).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bibliotheque.charts import bar_chart
from usecases.choices import Hosting, Status
from usecases.models import UseCase
from usecases.pagecache import per_catalogue_version
from usecases.statistics import Dimension, Row

from .choices import ModelFamily, ProviderLocation, ReuseKind, SolutionKind
from .models import ReuseDeclaration, Solution

TOP_PUBLISHERS = 10
# Figures that count cases rather than collectivités.
CASE_DIMENSIONS = {"dependance-hebergement"}
MOST_REUSED = 10


@dataclass(frozen=True)
class Observatory:
    dimensions: list
    collectivites: int  # collectivités relying on at least one named solution
    outside_eu: int  # … on one whose publisher is outside the EU
    open_source: int  # … on an open-source one
    reuse_dimensions: list  # « nous aussi » declarations by kind, most reused cases
    reuse_total: int


def reliance_pairs():
    """{(collectivite_id, solution_id)} of published cases and visible « adopted » declarations."""
    links = Solution.use_cases.through.objects.filter(usecase__status=Status.PUBLISHED)
    adopted = ReuseDeclaration.objects.visible().filter(kind=ReuseKind.ADOPTED)
    pairs = set(links.values_list("usecase__collectivite_id", "solution_id"))
    # The solution the declaration names, else each of the case's (one row per case solution).
    for collectivite_id, named, of_case in adopted.values_list(
        "collectivite_id", "solution_id", "use_case__solutions"
    ):
        if named or of_case:
            pairs.add((collectivite_id, named or of_case))
    return pairs


def _distinct_by(pairs, solutions, attribute):
    """{value of the solution's attribute: number of distinct collectivités}."""
    groups = defaultdict(set)
    for collectivite_id, solution_id in pairs:
        groups[getattr(solutions[solution_id], attribute)].add(collectivite_id)
    return {value: len(ids) for value, ids in groups.items()}


def _rows(counts, choices, filter_name=None, skip_empty=False):
    return [
        Row(str(label), counts.get(value, 0), (filter_name, value) if filter_name else None)
        for value, label in choices
        if not (skip_empty and not counts.get(value))
    ]


def by_hosting():
    counts = dict(
        UseCase.objects.published()
        .order_by()
        .values("hosting")
        .annotate(n=Count("pk"))
        .values_list("hosting", "n")
    )
    return _rows(counts, Hosting.choices, "hebergement")


def compute():
    pairs = reliance_pairs()
    solutions = Solution.objects.only(
        "name", "publisher", "publisher_location", "model_family", "kind"
    ).in_bulk({solution_id for _c, solution_id in pairs})
    publishers = defaultdict(set)
    for collectivite_id, solution_id in pairs:
        solution = solutions[solution_id]
        publishers[solution.publisher or solution.name].add(collectivite_id)
    top = sorted(publishers.items(), key=lambda item: (-len(item[1]), item[0]))[:TOP_PUBLISHERS]
    by_location = _distinct_by(pairs, solutions, "publisher_location")
    by_kind = _distinct_by(pairs, solutions, "kind")
    families = _distinct_by(pairs, solutions, "model_family")
    families.pop("", None)
    dimensions = [
        Dimension(
            "dependance-siege",
            _("Collectivités selon le siège de l’éditeur des solutions qu’elles utilisent"),
            _("Siège de l’éditeur"),
            _rows(by_location, ProviderLocation.choices),
        ),
        Dimension(
            "dependance-modele",
            _("Collectivités selon la famille de modèle d’IA de leurs solutions"),
            _("Famille de modèle"),
            _rows(families, [c for c in ModelFamily.choices if c[0]], skip_empty=True),
        ),
        Dimension(
            "dependance-nature",
            _("Collectivités selon la nature des solutions qu’elles utilisent"),
            _("Nature de la solution"),
            _rows(by_kind, SolutionKind.choices),
        ),
        Dimension(
            "dependance-editeurs",
            _("Éditeurs dont dépendent le plus de collectivités"),
            _("Éditeur"),
            [Row(name, len(ids)) for name, ids in top],
        ),
        Dimension(
            "dependance-hebergement",
            _("Cas d’usage publiés par lieu d’hébergement"),
            _("Hébergement"),
            by_hosting(),
        ),
    ]
    everyone = {collectivite_id for collectivite_id, _s in pairs}
    return Observatory(
        dimensions=dimensions,
        collectivites=len(everyone),
        outside_eu=by_location.get(ProviderLocation.OUTSIDE_EU, 0),
        open_source=by_kind.get(SolutionKind.OPEN_SOURCE, 0),
        **reuse_figures(),
    )


def reuse_figures():
    """Visible declarations by kind, and the most reused cases (two queries)."""
    visible = ReuseDeclaration.objects.visible().order_by()
    by_kind = dict(visible.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    most = (
        visible.filter(kind=ReuseKind.ADOPTED)
        .values("use_case__title")
        .annotate(n=Count("collectivite_id", distinct=True))
        .order_by("-n", "use_case__title")[:MOST_REUSED]
    )
    dimensions = [
        Dimension(
            "reprises-situation",
            _("Reprises déclarées, par situation"),
            _("Situation"),
            _rows(by_kind, ReuseKind.choices),
        ),
        Dimension(
            "reprises-cas",
            _("Cas d’usage les plus repris"),
            _("Cas d’usage"),
            [Row(row["use_case__title"], row["n"]) for row in most],
        ),
    ]
    return {"reuse_dimensions": dimensions, "reuse_total": sum(by_kind.values())}


def observatory():
    """The catalogue-wide observatory, once per catalogue version."""
    return per_catalogue_version("dependency-observatory", compute)


def solution_dependencies(solution):
    """For one solution's page: its collectivités by the hosting of the cases naming it."""
    counts = dict(
        solution.use_cases.published()
        .order_by()
        .values("hosting")
        .annotate(n=Count("collectivite_id", distinct=True))
        .values_list("hosting", "n")
    )
    return [
        Dimension(
            "solution-hebergement",
            _("Collectivités qui l’utilisent, par hébergement déclaré de leur projet"),
            _("Hébergement"),
            _rows(counts, Hosting.choices, skip_empty=True),
        )
    ]


HEADLINE = ("dependance-siege",)


def headline(figures):
    """What /statistiques/ shows itself (page weight): the publishers' location."""
    return [d for d in [*figures.dimensions, *figures.reuse_dimensions] if d.slug in HEADLINE]


def charts(dimensions, level=3):
    """Bar charts (SVG and table) of observatory dimensions, each row linking to its cases."""
    list_url = reverse("usecases:list")
    return [
        bar_chart(
            chart_id=f"stat-{dimension.slug}",
            title=dimension.title,
            key_header=dimension.key_header,
            rows=dimension.rows,
            list_url=list_url,
            level=level,
            **(
                {}
                if dimension.slug in CASE_DIMENSIONS
                else {"value_header": _("Collectivités"), "unit": _("collectivités")}
            ),
        )
        for dimension in dimensions
    ]
