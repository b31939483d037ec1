"""Facet counts against a naive count, pages, bounded relevance, the index per version."""

import itertools

import pytest
from django.http import QueryDict
from django.urls import reverse

from tests.factories import CollectiviteFactory, DepartementFactory, RegionFactory, UseCaseFactory
from usecases import facets
from usecases.facets import FACET_SOURCES, CatalogueResults
from usecases.filters import UseCaseFilterSet
from usecases.models import UseCase
from usecases.pagecache import bump_catalogue_version

pytestmark = pytest.mark.django_db

THEMES = ["transition-ecologique-et-energetique", "mobilites", "citoyennete-sante-et-solidarite"]
TECHNIQUES = ["apprentissage-automatique", "optimisation", "ia-generative"]


@pytest.fixture
def catalogue():
    """24 varied cases over two régions, three kinds, three themes, stages, years and tags."""
    from tests.factories import theme

    occitanie = RegionFactory(code="76", name="Occitanie")
    places = [
        CollectiviteFactory(kind="commune"),
        CollectiviteFactory(
            kind="ca",
            departement=DepartementFactory(code="31", name="Haute-Garonne", region=occitanie),
        ),
        CollectiviteFactory(kind="metropole"),
    ]
    stages = ["idea", "experiment", "deployment", "stopped"]
    for i in range(24):
        UseCaseFactory(
            published=True,
            title=f"Gérer les données du service {i}" if i % 3 else f"Prévoir la voirie {i}",
            collectivite=places[i % 3],
            theme=theme(THEMES[i % 3]),
            stage=stages[i % 4],
            hosting=["unknown", "on_premise"][i % 2],
            start_year=2020 + i % 5,
            techniques=TECHNIQUES[: 1 + i % 3],
            tags=[["eau"], ["eau", "énergie"], ["cantine"], []][i % 4],
        )
    UseCaseFactory(title="Un brouillon sur les données")  # Never counted.


def reference_counts(filterset, name):
    """The counts of one criterion computed naively, case by case, with the ORM."""
    counts = {}
    for case in filterset.queryset_without(name).prefetch_related("techniques", "tags"):
        if name == "technique":
            values = [t.slug for t in case.techniques.all()]
        elif name == "mot_cle":
            values = [t.slug for t in case.tags.all()]
        else:
            value = case
            for part in FACET_SOURCES[name][0].split("__"):
                value = getattr(value, part) if value is not None else None
            values = [] if value is None else [str(value)]
        for value in values:
            counts[value] = counts.get(value, 0) + 1
    return counts


PARAMS = [
    "",
    "theme=mobilites",
    "q=données",
    "q=données&theme=mobilites&stade=idea",
    "region=76&technique=optimisation",
    "type=commune&type=metropole&mot_cle=eau&annee=2021",
    "technique=ia-generative&mot_cle=eau&mot_cle=cantine&hebergement=on_premise",
]


# The index keeps an option as a bit set or, when rare, as a list of positions: both counted.
@pytest.mark.parametrize("sparse_ratio", [facets.SPARSE_RATIO, 0, 10**9])
@pytest.mark.parametrize("params", PARAMS)
def test_facet_counts_match_a_naive_count(catalogue, params, sparse_ratio, monkeypatch):
    monkeypatch.setattr(facets, "SPARSE_RATIO", sparse_ratio)
    filterset = UseCaseFilterSet(QueryDict(params), queryset=UseCase.objects.published())
    assert filterset.is_valid(), filterset.errors
    results = CatalogueResults(filterset)
    assert results.total == filterset.qs.count()
    # Every criterion, those the page does not show included (départements without a région).
    for name in FACET_SOURCES:
        assert results.counts(name) == reference_counts(filterset, name), name
    for facet in results.facets():
        shown = {option.value: option.count for option in facet.options if option.count}
        expected = reference_counts(filterset, facet.name)
        assert shown == {value: expected[value] for value in shown}, facet.name
        if facet.name not in ("mot_cle", "annee"):
            assert shown == expected, facet.name


def test_hidden_facets_are_not_counted(catalogue):
    filterset = UseCaseFilterSet(QueryDict(""), queryset=UseCase.objects.published())
    filterset.is_valid()
    facets = CatalogueResults(filterset).facets(skip=("theme",))
    assert "theme" not in [facet.name for facet in facets]


@pytest.mark.parametrize("page", ["1", "2", "3"])
def test_pages_follow_the_order_of_the_filterset(client, catalogue, settings, page):
    settings.USE_CASES_PER_PAGE = 10
    response = client.get(reverse("usecases:list"), {"page": page, "tri": "titre"})
    expected = list(UseCase.objects.published().order_by("title", "pk"))
    start = (int(page) - 1) * 10
    assert list(response.context["page_obj"].object_list) == expected[start : start + 10]
    assert response.context["page_obj"].paginator.count == 24


def test_a_page_past_the_end_is_a_404(client, catalogue):
    assert client.get(reverse("usecases:list"), {"page": "3"}).status_code == 404


def test_too_many_matches_are_shown_newest_first(client, catalogue, monkeypatch):
    monkeypatch.setattr(UseCaseFilterSet, "RANK_LIMIT", 10)  # 16 match, 8 for "voirie".
    response = client.get(reverse("usecases:list"), {"q": "données"})
    cases = list(response.context["page_obj"].object_list)
    assert cases == sorted(cases, key=lambda case: (case.published_at, case.pk), reverse=True)
    assert "Trop de résultats pour les classer par pertinence" in response.content.decode()
    # A precise search is still ranked.
    response = client.get(reverse("usecases:list"), {"q": "voirie"})
    assert "Trop de résultats" not in response.content.decode()


def test_the_api_bounds_relevance_too(client, catalogue, monkeypatch):
    monkeypatch.setattr(UseCaseFilterSet, "RANK_LIMIT", 5)
    response = client.get(reverse("api:usecase-list"), {"q": "données"})
    published = [row["published_at"] for row in response.json()["results"]]
    assert published == sorted(published, reverse=True)


def test_unfiltered_counts_are_computed_once_per_catalogue_version(
    client, catalogue, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.COUNTS_CACHE_SECONDS = 300
    filterset = UseCaseFilterSet(QueryDict(""), queryset=UseCase.objects.published())
    filterset.is_valid()
    assert CatalogueResults(filterset).total == 24
    with django_assert_num_queries(1):  # The version only.
        assert CatalogueResults(filterset).total == 24
    with django_capture_on_commit_callbacks(execute=True):
        UseCaseFactory(published=True)
    assert CatalogueResults(filterset).total == 25
    with django_capture_on_commit_callbacks(execute=True):
        bump_catalogue_version()
    assert CatalogueResults(filterset).total == 25


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(client, count, django_assert_max_num_queries):
    for _ in range(count):
        UseCaseFactory(published=True, techniques=TECHNIQUES, tags=["eau", "énergie"])
    for params in ({}, {"q": "service", "theme": THEMES[0], "technique": TECHNIQUES[:2]}):
        with django_assert_max_num_queries(10):
            assert client.get(reverse("usecases:list"), params).status_code == 200


def test_counts_for_every_combination_of_two_criteria(catalogue):
    values = {
        "theme": "mobilites",
        "stade": "idea",
        "technique": "optimisation",
        "mot_cle": "eau",
        "region": "76",
        "q": "données",
    }
    for first, second in itertools.combinations(values, 2):
        data = QueryDict(mutable=True)
        data[first], data[second] = values[first], values[second]
        filterset = UseCaseFilterSet(data, queryset=UseCase.objects.published())
        assert filterset.is_valid()
        assert CatalogueResults(filterset).total == filterset.qs.count(), (first, second)
