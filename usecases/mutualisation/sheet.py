"""What a published sheet shows of mutualisation: its solutions, who reuses it, the forms."""

from django.db.models import Prefetch

from .choices import REUSE_GROUP_TITLES, ReuseKind
from .models import ReuseDeclaration, Solution
from .similar import same_solution_cases, similar_cases


def prefetches():
    """Prefetches of the sheet's queryset: two queries whatever the number of declarations."""
    return [
        Prefetch("solutions", queryset=Solution.objects.only("name", "slug", "kind")),
        Prefetch(
            "reuse_declarations",
            queryset=ReuseDeclaration.objects.filter(hidden_at__isnull=True)
            .select_related("collectivite", "solution")
            .only(
                "use_case",
                "kind",
                "year",
                "note",
                "url",
                "author",
                "collectivite",
                "solution",
                "collectivite__name",
                "collectivite__slug",
                "solution__name",
                "solution__slug",
            ),
            to_attr="visible_declarations",
        ),
    ]


def context(use_case, user):
    """The sheet's declarations grouped by kind, and the reader's own declaration if any."""
    declarations = use_case.visible_declarations
    groups = [
        (kind, title, [d for d in declarations if d.kind == kind])
        for kind, title in REUSE_GROUP_TITLES.items()
    ]
    profile = getattr(user, "contributor_profile", None) if user.is_authenticated else None
    own = None
    if profile is not None:
        own = next((d for d in declarations if d.collectivite_id == profile.collectivite_id), None)
    solutions = list(use_case.solutions.all())
    similar = similar_cases(use_case)
    return {
        "related_cases": similar,
        "same_solution_cases": same_solution_cases(
            use_case, solutions, exclude=[case.pk for case in similar]
        ),
        "solutions": solutions,
        "reuse_groups": [group for group in groups if group[2]],
        "reuse_count": len(declarations),
        "own_declaration": own,
    }


def record_prefetches():
    """What the open-data record (usecases.exports) reads of mutualisation: two queries."""
    return [
        Prefetch("solutions", queryset=Solution.objects.only("name", "slug", "kind")),
        Prefetch(
            "reuse_declarations",
            queryset=ReuseDeclaration.objects.filter(hidden_at__isnull=True)
            .select_related("collectivite", "solution")
            .order_by("collectivite__name", "pk"),
            to_attr="public_declarations",
        ),
    ]


def record_fields(use_case):
    """The record's `solutions` and `reused_by` (names; « adopted » declarations only)."""
    return {
        "solutions": [solution.name for solution in use_case.solutions.all()],
        "reused_by": [
            declaration.collectivite.name
            for declaration in use_case.public_declarations
            if declaration.kind == ReuseKind.ADOPTED
        ],
    }
