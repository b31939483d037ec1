"""The catalogue engine: facet counts against a naive count, pages, bounded relevance, the index
per version, the same selection in SQL."""

import itertools

import pytest
from django.http import QueryDict
from django.urls import reverse

from tests.factories import CollectiviteFactory, DepartementFactory, RegionFactory, UseCaseFactory
from tests.mutualisation.factories import DeclarationFactory, SolutionFactory
from usecases.listing import CRITERIA, Listing
from usecases.listing import index as listing_index
from usecases.listing.criteria import population_band
from usecases.models import UseCase
from usecases.pagecache import bump_catalogue_version

pytestmark = pytest.mark.django_db

THEMES = ["transition-ecologique-et-energetique", "mobilites", "citoyennete-sante-et-solidarite"]
TECHNIQUES = ["apprentissage-automatique", "optimisation", "ia-generative"]


@pytest.fixture
def catalogue():
    """24 varied cases over two régions, three kinds and sizes, three themes, stages, years, tags,
    some open to others or carried with partners (never both on the same case)."""
    from tests.factories import theme

    occitanie = RegionFactory(code="76", name="Occitanie")
    places = [
        CollectiviteFactory(kind="commune", population=999),
        CollectiviteFactory(
            kind="ca",
            population=None,
            departement=DepartementFactory(code="31", name="Haute-Garonne", region=occitanie),
        ),
        CollectiviteFactory(kind="metropole", population=200_000),
    ]
    partner = CollectiviteFactory(kind="commune", population=3_500)
    stages = ["idea", "experiment", "deployment", "stopped"]
    # Mutualisation: two solutions; « nous aussi » declarations, of which only the visible
    # « mis en place » ones make a case « déjà repris ailleurs ».
    solutions = [SolutionFactory(slug="detecteur"), SolutionFactory(slug="assistant")]
    for i in range(24):
        case = UseCaseFactory(
            published=True,
            title=f"Gérer les données du service {i}" if i % 3 else f"Prévoir la voirie {i}",
            collectivite=places[i % 3],
            theme=theme(THEMES[i % 3]),
            stage=stages[i % 4],
            hosting=["unknown", "on_premise"][i % 2],
            start_year=2020 + i % 5,
            techniques=TECHNIQUES[: 1 + i % 3],
            tags=[["eau"], ["eau", "énergie"], ["cantine"], []][i % 4],
            open_to_others=i % 5 == 0,
            partners=[partner] if i % 7 == 1 else [],
        )
        case.solutions.set(solutions[: i % 3])
        if i % 4 == 1:
            DeclarationFactory(use_case=case)
        elif i % 4 == 2:
            DeclarationFactory(use_case=case, kind=["considering", "stopped"][i % 8 // 4])
        elif i % 8 == 3:
            DeclarationFactory(use_case=case, hidden_at="2026-01-01T00:00Z")
    draft = UseCaseFactory(title="Un brouillon sur les données")  # Never counted.
    draft.solutions.set(solutions)
    DeclarationFactory(use_case=draft)


def follow(value, path):
    """The value at the end of an ORM path (« collectivite__region__code »), or None."""
    for part in path.split("__"):
        value = getattr(value, part) if value is not None else None
    return value


def reference_counts(listing, name):
    """The counts of one criterion computed naively, case by case, with the ORM."""
    counts = {}
    cases = listing.queryset(UseCase.objects.published(), without=name)
    for case in cases.prefetch_related("techniques", "tags"):
        if name == "technique":
            values = [t.slug for t in case.techniques.all()]
        elif name == "mot_cle":
            values = [t.slug for t in case.tags.all()]
        elif name == "population":
            band = population_band(case.collectivite.population)
            values = [band] if band else []
        elif name == "mutualise":
            values = ["oui"] if case.open_to_others or case.partners.exists() else []
        elif name == "solution":
            values = [solution.slug for solution in case.solutions.all()]
        elif name == "repris":
            declarations = case.reuse_declarations.filter(kind="adopted", hidden_at=None)
            values = ["oui"] if declarations.exists() else []
        else:
            criterion = next(criterion for criterion in CRITERIA if criterion.name == name)
            found = [follow(case, criterion.path)]
            # A place criterion counts the places of the lead and of the partners, once each.
            if partner_path := getattr(criterion, "partner_path", None):
                place = partner_path.removeprefix("partners__")
                found += [follow(partner, place) for partner in case.partners.all()]
            values = {str(value) for value in found if value is not None}
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
    "population=moins-de-1000&population=plus-de-200000",
    "mutualise=oui&theme=mobilites",
    "q=données&population=moins-de-1000&mutualise=oui",
    "solution=detecteur&repris=oui",
    "repris=oui&theme=mobilites&q=données",
]


# The index keeps an option as a bit set or, when rare, as a list of positions: both counted.
@pytest.mark.parametrize("sparse_ratio", [listing_index.SPARSE_RATIO, 0, 10**9])
@pytest.mark.parametrize("params", PARAMS)
def test_facet_counts_match_a_naive_count(catalogue, params, sparse_ratio, monkeypatch):
    monkeypatch.setattr(listing_index, "SPARSE_RATIO", sparse_ratio)
    listing = Listing(QueryDict(params))
    assert listing.is_valid(), listing.errors
    assert listing.total == listing.queryset(UseCase.objects.published()).count()
    # Every criterion, those the page does not show included (départements without a région).
    for criterion in CRITERIA:
        name = criterion.name
        assert listing.counts(name) == reference_counts(listing, name), name
    for facet in listing.facets():
        shown = {option.value: option.count for option in facet.options if option.count}
        expected = reference_counts(listing, facet.name)
        assert shown == {value: expected[value] for value in shown}, facet.name
        if facet.name not in ("mot_cle", "annee"):
            assert shown == expected, facet.name


def test_the_scope_is_not_offered_as_a_facet(catalogue):
    listing = Listing(QueryDict(""), scope={"theme": "mobilites"})
    assert listing.is_valid()
    assert "theme" not in [facet.name for facet in listing.facets()]
    assert listing.total == UseCase.objects.published().filter(theme__slug="mobilites").count()


@pytest.mark.parametrize("page", ["1", "2", "3"])
def test_pages_follow_the_title_order(client, catalogue, settings, page):
    settings.USE_CASES_PER_PAGE = 10
    response = client.get(reverse("usecases:list"), {"page": page, "tri": "titre"})
    expected = list(UseCase.objects.published().order_by("title", "pk"))
    start = (int(page) - 1) * 10
    assert list(response.context["page_obj"].object_list) == expected[start : start + 10]
    assert response.context["page_obj"].paginator.count == 24


def test_a_page_past_the_end_is_a_404(client, catalogue):
    assert client.get(reverse("usecases:list"), {"page": "3"}).status_code == 404


def test_too_many_matches_are_shown_newest_first(client, catalogue, monkeypatch):
    monkeypatch.setattr(Listing, "RANK_LIMIT", 10)  # 16 match, 8 for "voirie".
    response = client.get(reverse("usecases:list"), {"q": "données"})
    cases = list(response.context["page_obj"].object_list)
    assert cases == sorted(cases, key=lambda case: (case.published_at, case.pk), reverse=True)
    assert "Trop de résultats pour les classer par pertinence" in response.content.decode()
    # A precise search is still ranked.
    response = client.get(reverse("usecases:list"), {"q": "voirie"})
    assert "Trop de résultats" not in response.content.decode()


def test_the_api_bounds_relevance_too(client, catalogue, monkeypatch):
    monkeypatch.setattr(Listing, "RANK_LIMIT", 5)
    response = client.get(reverse("api:usecase-list"), {"q": "données"})
    published = [row["published_at"] for row in response.json()["results"]]
    assert published == sorted(published, reverse=True)


def test_unfiltered_counts_are_computed_once_per_catalogue_version(
    client, catalogue, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.COUNTS_CACHE_SECONDS = 300

    def total():
        listing = Listing(QueryDict(""))
        assert listing.is_valid()
        return listing.total

    assert total() == 24
    with django_assert_num_queries(1):  # The version only.
        assert total() == 24
    with django_capture_on_commit_callbacks(execute=True):
        UseCaseFactory(published=True)
    assert total() == 25
    with django_capture_on_commit_callbacks(execute=True):
        bump_catalogue_version()
    assert total() == 25


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
        "population": "plus-de-200000",
        "mutualise": "oui",
    }
    for first, second in itertools.combinations(values, 2):
        data = QueryDict(mutable=True)
        data[first], data[second] = values[first], values[second]
        listing = Listing(data)
        assert listing.is_valid()
        expected = listing.queryset(UseCase.objects.published()).count()
        assert listing.total == expected, (first, second)


def test_the_search_length_limit_is_one_setting(client, settings):
    """The fields' maxlength, the list's and the API's validation read the same setting."""
    settings.SEARCH_MAX_LENGTH = 30
    for url in (reverse("home"), reverse("usecases:list")):
        assert client.get(url).content.decode().count('maxlength="30"') == 2, url
    for url in (reverse("usecases:list"), reverse("api:usecase-list")):
        assert client.get(url, {"q": "x" * 31}).status_code == 400, url
        assert client.get(url, {"q": "x" * 30}).status_code == 200, url
