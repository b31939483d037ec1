"""The number of SQL queries per page is bounded, whatever the filters or the result count."""

import pytest
from django.urls import reverse

from tests.factories import ResourceFactory, UseCaseFactory

pytestmark = pytest.mark.django_db

EVERY_FILTER = {
    "q": "service",
    "theme": ["transition-ecologique-et-energetique", "mobilites"],
    "region": "53",
    "departement": "35",
    "type": ["commune", "ca"],
    "stade": ["experiment", "idea"],
    "technique": ["apprentissage-automatique", "optimisation"],
    "hebergement": "unknown",
    "realisation": "vendor",
    "mot_cle": ["eau", "energie"],
    "annee": "2024",
    "tri": "pertinence",
}


def make_cases(count):
    for _ in range(count):
        UseCaseFactory(
            published=True,
            techniques=["apprentissage-automatique", "optimisation"],
            tags=["eau", "energie"],
        )


@pytest.mark.parametrize("count", [1, 45])
@pytest.mark.parametrize("params", [{}, EVERY_FILTER, {"page": "2"}], ids=["none", "all", "page2"])
def test_list_queries_are_bounded(client, django_assert_max_num_queries, count, params):
    make_cases(count)
    if params.get("page") and count < 21:
        params = {}
    with django_assert_max_num_queries(10):
        response = client.get(reverse("usecases:list"), params)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 45])
def test_theme_page_queries_are_bounded(client, django_assert_max_num_queries, count):
    make_cases(count)
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("usecases:theme", kwargs={"slug": "transition-ecologique-et-energetique"}),
            {"stade": "experiment", "mot_cle": "eau"},
        )
    assert response.status_code == 200


def test_detail_queries_are_bounded(client, django_assert_max_num_queries):
    make_cases(5)
    use_case = UseCaseFactory(
        published=True, techniques=["optimisation"], tags=["eau", "énergie", "réseaux"]
    )
    ResourceFactory.create_batch(5, use_case=use_case)
    use_case.key_figures.create(value="12 fuites", label="en deux semaines")
    use_case.partners.add(*[case.collectivite for case in make_partner_cases()])
    # The case, its five prefetches (techniques, tags, resources, key figures, partners), its
    # solutions, its reuse declarations, similar cases and cases with the same solution.
    with django_assert_max_num_queries(10):
        response = client.get(use_case.get_absolute_url())
    assert response.status_code == 200


def make_partner_cases():
    return [UseCaseFactory() for _ in range(3)]


def test_home_queries_are_bounded(client, django_assert_max_num_queries):
    make_cases(12)
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200


def test_collectivite_pages_queries_are_bounded(client, django_assert_max_num_queries):
    make_cases(30)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("collectivites:list")).status_code == 200


@pytest.mark.parametrize("page_size", [5, 50])
def test_api_list_queries_do_not_grow_with_the_page_size(
    client, django_assert_max_catalogue_queries, page_size
):
    make_cases(45)
    for _ in range(3):
        make_partner_cases()
    # Two more than the cards: the records' solutions and reuse declarations.
    with django_assert_max_catalogue_queries(12):
        response = client.get(
            reverse("api:usecase-list"),
            {"page_size": page_size, "theme": "transition-ecologique-et-energetique"},
        )
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(page_size, 45)


@pytest.mark.parametrize("count", [1, 40])
def test_home_queries_do_not_grow_with_the_catalogue(client, django_assert_max_num_queries, count):
    make_cases(count)
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200
