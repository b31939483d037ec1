"""What a small commune looks for: the population bands and « Mutualisé » criteria, through every
list of the catalogue engine, and a collectivité page without cases that is not a dead end."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from alerts.criteria import describe
from tests.factories import CollectiviteFactory, UseCaseFactory
from usecases.listing import Listing
from usecases.listing.criteria import POPULATION_BANDS, population_band
from usecases.models import UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    village = CollectiviteFactory(name="Village", population=450)
    bourg = CollectiviteFactory(name="Bourg", population=3_499)
    ville = CollectiviteFactory(name="Ville", population=3_500)
    syndicat = CollectiviteFactory(name="Syndicat", kind="autre", code="", population=None)
    return {
        "village": UseCaseFactory(
            published=True, title="Répondre au standard", collectivite=village
        ),
        "bourg": UseCaseFactory(
            published=True, title="Prévoir les repas", collectivite=bourg, partners=[village]
        ),
        "ville": UseCaseFactory(published=True, title="Compter les vélos", collectivite=ville),
        "syndicat": UseCaseFactory(
            published=True, title="Rédiger les actes", collectivite=syndicat, open_to_others=True
        ),
        "draft": UseCaseFactory(collectivite=village, open_to_others=True),
    }


def titles(response):
    return sorted(case.title for case in response.context["page_obj"].object_list)


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (0, "moins-de-1000"),
        (999, "moins-de-1000"),
        (1_000, "1000-3500"),
        (3_499, "1000-3500"),
        (3_500, "3500-10000"),
        (9_999, "3500-10000"),
        (10_000, "10000-50000"),
        (50_000, "50000-200000"),
        (199_999, "50000-200000"),
        (200_000, "plus-de-200000"),
        (2_100_000, "plus-de-200000"),
        (None, None),
    ],
)
def test_population_bands_meet_without_gap(population, band):
    assert population_band(population) == band


def test_bands_are_contiguous():
    for (_v, _l, _low, high), (_v2, _l2, low, _h) in zip(
        POPULATION_BANDS, POPULATION_BANDS[1:], strict=False
    ):
        assert high == low


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"population": "moins-de-1000"}, ["Répondre au standard"]),
        (
            {"population": ["moins-de-1000", "1000-3500"]},
            ["Prévoir les repas", "Répondre au standard"],
        ),
        ({"population": "3500-10000"}, ["Compter les vélos"]),
        ({"mutualise": "oui"}, ["Prévoir les repas", "Rédiger les actes"]),
        ({"mutualise": "oui", "population": "1000-3500"}, ["Prévoir les repas"]),
    ],
)
def test_the_list_filters_by_size_and_pooling(client, cases, params, expected):
    response = client.get(reverse("usecases:list"), params)
    assert response.status_code == 200
    assert titles(response) == expected


def test_the_facets_count_and_name_the_options(client, cases):
    response = client.get(reverse("usecases:list"))
    content = response.content.decode()
    assert "Population" in content and "Moins de 1\u00a0000 habitants" in content
    assert "Mutualisé ou ouvert à d’autres collectivités" in content
    listing = Listing(QueryDict(""))
    assert listing.is_valid()
    assert listing.counts("population") == {"moins-de-1000": 1, "1000-3500": 1, "3500-10000": 1}
    assert listing.counts("mutualise") == {"oui": 2}
    # The applied filter is shown as a removable chip, in words.
    chosen = client.get(reverse("usecases:list"), {"population": "moins-de-1000"})
    assert chosen.content.decode().count("Moins de 1\u00a0000 habitants") >= 2


def test_an_unknown_band_is_refused_in_french(client, cases):
    assert client.get(reverse("usecases:list"), {"population": "9999"}).status_code == 400
    response = client.get(reverse("api:usecase-list"), {"population": "9999"})
    assert response.status_code == 400
    assert "population" in response.json()["errors"]


@pytest.mark.parametrize("counts_cache_seconds", [0, 300])
def test_the_index_and_the_sql_agree(settings, cases, counts_cache_seconds):
    """The index (built per request, or held by the process) and the SQL filters agree."""
    settings.COUNTS_CACHE_SECONDS = counts_cache_seconds
    for query in (
        "population=moins-de-1000&population=3500-10000",
        "mutualise=oui",
        "mutualise=oui&population=1000-3500",
        "q=repas&mutualise=oui",
    ):
        for _twice in range(2):  # The second one reads the held index, when there is one.
            listing = Listing(QueryDict(query))
            assert listing.is_valid(), listing.errors
            expected = listing.queryset(UseCase.objects.published()).order_by("pk")
            rows = list(listing.iterate(UseCase.objects.published()))
            assert sorted(case.pk for case in rows) == [case.pk for case in expected], query
            assert listing.total == len(rows)


def test_api_exports_feed_alert_and_widget_know_the_criteria(client, cases):
    api = client.get(reverse("api:usecase-list"), {"mutualise": "oui"}).json()
    assert sorted(row["title"] for row in api["results"]) == [
        "Prévoir les repas",
        "Rédiger les actes",
    ]
    api = client.get(reverse("api:usecase-list"), {"population": "moins-de-1000"}).json()
    assert [row["title"] for row in api["results"]] == ["Répondre au standard"]
    csv = client.get(reverse("opendata:export_csv"), {"population": "3500-10000"})
    content = b"".join(csv.streaming_content).decode()
    assert "Compter les vélos" in content and "Répondre au standard" not in content
    feed = client.get(reverse("opendata:feed"), {"mutualise": "oui"}).content.decode()
    assert "Rédiger les actes" in feed and "Compter les vélos" not in feed
    widget = client.get(reverse("widget:embed"), {"population": "moins-de-1000"}).content.decode()
    assert "Répondre au standard" in widget and "Compter les vélos" not in widget
    assert describe("population=moins-de-1000&mutualise=oui") == [
        "Population : Moins de 1\u00a0000 habitants",
        "Mutualisation : Mutualisé ou ouvert à d’autres collectivités",
    ]


def test_the_api_documentation_lists_the_values(client):
    content = client.get(reverse("api:documentation")).content.decode()
    assert "<code>population</code>" in content and "moins-de-1000" in content
    assert "<code>mutualise</code>" in content
    assert "menés avec des collectivités partenaires" in content
    assert "tranche d’habitants de la collectivité porteuse" in content


def test_filtering_costs_no_more_queries_than_the_plain_list(
    client, cases, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        client.get(reverse("usecases:list"))
    for _ in range(20):
        UseCaseFactory(
            published=True,
            collectivite=CollectiviteFactory(population=800),
            partners=[CollectiviteFactory()],
        )
    params = {"population": ["moins-de-1000", "1000-3500"], "mutualise": "oui"}
    with django_assert_max_num_queries(len(plain)):
        assert client.get(reverse("usecases:list"), params).status_code == 200


def test_a_collectivite_without_cases_shows_those_of_its_size(client, cases):
    hameau = CollectiviteFactory(name="Hameau", population=120)
    response = client.get(hameau.get_absolute_url())
    content = response.content.decode()
    assert "Cas d’usage de collectivités de sa taille (moins de 1\u00a0000 habitants)" in content
    assert [case.title for case in response.context["same_size_cases"]] == ["Répondre au standard"]
    assert f'href="{reverse("usecases:list")}?population=moins-de-1000"' in content
    assert f'href="{reverse("usecases:list")}?mutualise=oui"' in content


def test_a_collectivite_with_cases_or_without_population_has_no_such_section(client, cases):
    for collectivite in (cases["village"].collectivite, cases["syndicat"].collectivite):
        response = client.get(collectivite.get_absolute_url())
        assert "same_size_cases" not in response.context
        assert "same-size-title" not in response.content.decode()


def test_single_choice_facets_agree_with_their_label(client, cases):
    """« Région : Toutes », « Département : Tous », « Année de début : Toutes »."""
    region = cases["village"].collectivite.region.code
    content = client.get(reverse("usecases:list"), {"region": region}).content.decode()
    for name, empty in (("region", "Toutes"), ("departement", "Tous"), ("annee", "Toutes")):
        assert (
            f'<select name="{name}" id="f-{name}">\n            <option value="">{empty}</option>'
            in content
        ), name
