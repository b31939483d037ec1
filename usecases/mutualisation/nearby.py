"""A collectivité's page: what it reuses, who reuses its cases, and what is done near it."""

from django.db.models import Q

from usecases.models import UseCase

from .models import ReuseDeclaration

NEARBY_LIMIT = 6
NEIGHBOURS_LIMIT = 10


def _declarations():
    return (
        ReuseDeclaration.objects.visible()
        .select_related("collectivite", "use_case__collectivite", "solution")
        .only(
            "kind",
            "year",
            "note",
            "collectivite__name",
            "collectivite__slug",
            "use_case__title",
            "use_case__slug",
            "use_case__collectivite__name",
            "solution__name",
            "solution__slug",
        )
    )


def context(collectivite):
    """Six lists, one query each; the départemental and régional ones exclude what it leads."""
    published = UseCase.objects.published().with_card_data()
    shown = [collectivite.pk] + ([collectivite.epci_id] if collectivite.epci_id else [])
    result = {
        "reused_here": list(_declarations().filter(collectivite=collectivite)),
        "reused_elsewhere": list(
            _declarations().filter(use_case__collectivite=collectivite).order_by("-year", "-pk")
        ),
        "departement_cases": [],
        "region_cases": [],
        "neighbours_reuse": [],
    }
    if collectivite.departement_id:
        result["departement_cases"] = list(
            published.filter(collectivite__departement_id=collectivite.departement_id)
            .exclude(collectivite_id__in=shown)
            .exclude(partners=collectivite)[:NEARBY_LIMIT]
        )
        result["neighbours_reuse"] = list(
            _declarations()
            .filter(collectivite__departement_id=collectivite.departement_id)
            .exclude(collectivite=collectivite)[:NEIGHBOURS_LIMIT]
        )
    if collectivite.region_id:
        outside_departement = ~Q(collectivite__departement_id=collectivite.departement_id)
        if collectivite.departement_id is None:
            outside_departement = Q()
        result["region_cases"] = list(
            published.filter(collectivite__region_id=collectivite.region_id)
            .filter(outside_departement)
            .exclude(collectivite_id__in=shown)
            .exclude(partners=collectivite)[:NEARBY_LIMIT]
        )
    return result
