import pytest

from tests.factories import CollectiviteFactory, UseCaseFactory
from usecases.models import UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    waste = UseCaseFactory(
        published=True,
        title="Optimiser la collecte des déchets ménagers",
        summary="Des capteurs de remplissage déclenchent la collecte.",
        tags=["collecte"],
    )
    water = UseCaseFactory(
        published=True,
        title="Détecter les fuites du réseau d’eau potable",
        summary="Un modèle classe les tronçons par probabilité de fuite.",
        solution="Les équipes de terrain cherchent d’abord là où les fuites sont probables.",
        collectivite=CollectiviteFactory(name="Sicoval", kind="ca", code="243100633"),
        tags=["eau potable", "réseaux"],
    )
    canteen = UseCaseFactory(
        published=True,
        title="Prévoir le nombre de repas des cantines scolaires",
        summary="Moins de gaspillage alimentaire grâce aux prévisions.",
        need="Réduire les déchets alimentaires de la restauration scolaire.",
    )
    return {"waste": waste, "water": water, "canteen": canteen}


def search(query):
    return set(UseCase.objects.published().search(query))


@pytest.mark.parametrize("query", ["dechet", "DÉCHETS", "déchets", "Dechets", "déchet"])
def test_search_ignores_accents_case_and_plural(catalogue, query):
    """`dechet`, `DÉCHETS` and `déchets` give the same results, in the title or the text."""
    assert search(query) == {catalogue["waste"], catalogue["canteen"]}


def test_search_matches_singular_against_plural_text(catalogue):
    """`ménager` finds « ménagers » although the French stemmer folds them differently."""
    assert search("ménager") == {catalogue["waste"]}


def test_search_multi_word_requires_every_word(catalogue):
    assert search("fuites réseau") == {catalogue["water"]}
    assert search("fuites cantine") == set()


def test_search_covers_tags_and_collectivite_name(catalogue):
    """Tags and the collectivité's name are searchable too."""
    assert search("eau potable") == {catalogue["water"]}
    assert search("sicoval") == {catalogue["water"]}
    assert search("collecte") == {catalogue["waste"]}


def test_search_ignores_punctuation_and_sql(catalogue):
    """Operators and quotes in the query are plain text, never syntax."""
    assert search("'; DROP TABLE usecases_usecase; --") == set()
    assert search("fuite & | ! :* <->") == {catalogue["water"]}
    assert UseCase.objects.count() == 3


def test_empty_query_matches_nothing(catalogue):
    assert search("   ") == set()
    assert search("!!!") == set()


def test_search_excludes_unpublished(catalogue):
    UseCaseFactory(title="Trier les déchets au brouillon")
    assert len(search("déchets")) == 2


def test_index_follows_tag_changes(catalogue):
    """Re-indexing after a tag change makes the new tag searchable."""
    use_case = catalogue["canteen"]
    use_case.tags.add("nutrition")
    assert search("nutrition") == set()
    UseCase.objects.filter(pk=use_case.pk).refresh_search_index()
    assert search("nutrition") == {use_case}


def test_title_ranks_above_body(catalogue):
    """On both databases, a title match outranks a match in the body (field weights)."""
    ranked = list(UseCase.objects.published().search("déchets").order_by("-rank"))
    assert ranked[0] == catalogue["waste"]


def test_list_view_orders_by_relevance_when_searching(client, catalogue):
    response = client.get("/cas-d-usage/", {"q": "déchets"})
    results = list(response.context["page_obj"].object_list)
    assert results == [catalogue["waste"], catalogue["canteen"]]
