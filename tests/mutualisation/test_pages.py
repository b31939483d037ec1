"""Compare, resources, similar cases: exact results, bad input, query counts."""

import pytest
from django.urls import reverse

from tests.factories import ResourceFactory, UseCaseFactory, theme
from tests.mutualisation.factories import SolutionFactory

pytestmark = pytest.mark.django_db


def compare(client, *slugs):
    return client.get(reverse("reuse:compare"), {"cas": list(slugs)})


def test_compare_three_cases_side_by_side(client, django_assert_max_num_queries):
    cases = [
        UseCaseFactory(published=True, title=f"Cas {n}", techniques=["optimisation"])
        for n in range(3)
    ]
    SolutionFactory(name="Leakmited", cases=cases[:1])
    with django_assert_max_num_queries(4):
        response = compare(client, *(case.slug for case in cases))
    assert response.status_code == 200
    assert response.context["cases"] == cases
    rows = dict(response.context["rows"])
    assert rows["Solution"] == ["Leakmited", "", ""]
    content = response.content.decode()
    for case in cases:
        assert f'<th scope="col"><a href="{case.get_absolute_url()}">' in content
    assert '<th scope="row">Hébergement</th>' in content


@pytest.mark.parametrize("count", [0, 1, 5])
def test_compare_needs_two_to_four_cases(client, count):
    cases = [UseCaseFactory(published=True) for _ in range(count)]
    response = compare(client, *(case.slug for case in cases))
    assert response.status_code == 400
    assert "Cochez de 2 à 4 cas" in response.content.decode()


def test_compare_refuses_drafts_and_unknown_slugs(client):
    published = UseCaseFactory(published=True)
    draft = UseCaseFactory(title="Brouillon confidentiel")
    response = compare(client, published.slug, draft.slug)
    assert response.status_code == 400
    assert "Brouillon confidentiel" not in response.content.decode()
    assert compare(client, published.slug, "x" * 500).status_code == 400


def test_compare_escapes_html(client):
    a = UseCaseFactory(published=True, title="<img src=x onerror=alert(1)>")
    b = UseCaseFactory(published=True, need="<script>alert(2)</script>")
    content = compare(client, a.slug, b.slug).content.decode()
    assert "<img src=x" not in content and "<script>alert(2)" not in content


def test_list_has_compare_checkboxes_in_a_get_form_after_the_compare_link(client):
    """No checkbox on the plain list (EcoIndex A): « Comparer des cas » (?comparer=1) adds
    them, in a GET form to /comparer/ that works without JavaScript."""
    case, _other = UseCaseFactory.create_batch(2, published=True)
    plain = client.get(reverse("usecases:list")).content.decode()
    assert 'name="cas"' not in plain and reverse("reuse:compare") not in plain
    assert 'href="?comparer=1#resultats">Comparer des cas</a>' in plain
    content = client.get(reverse("usecases:list"), {"comparer": "1"}).content.decode()
    assert f'<form method="get" action="{reverse("reuse:compare")}"' in content
    assert f'name="cas" value="{case.slug}"' in content
    assert "Comparer les cas cochés (2 à 4)" in content
    # Choosing stays light: no filter form, the chips and a way back to the filters; exports,
    # alerts and the widget do not carry the compare mode.
    assert 'class="filters"' in plain and 'class="filters"' not in content
    filtered = client.get(reverse("usecases:list"), {"comparer": "1", "stade": case.stage})
    assert f'href="?stade={case.stage}">Revenir aux filtres</a>' in filtered.content.decode()
    assert "cas-d-usage.csv?comparer" not in content and "alertes/?comparer" not in content


def test_theme_page_compares_too(client):
    case = UseCaseFactory(published=True)
    url = reverse("usecases:theme", args=[case.theme.slug])
    assert 'name="cas"' not in client.get(url).content.decode()
    assert f'name="cas" value="{case.slug}"' in client.get(url, {"comparer": "1"}).content.decode()


def test_resources_list_filters_and_hides_unpublished(client, django_assert_max_num_queries):
    water = UseCaseFactory(published=True, techniques=["optimisation"])
    mobility = UseCaseFactory(published=True, theme=theme("mobilites"))
    tender = ResourceFactory(use_case=water, kind="tender", title="Cahier des charges")
    video = ResourceFactory(use_case=mobility, kind="video", title="Vidéo")
    ResourceFactory(use_case=UseCaseFactory(), title="Ressource d’un brouillon")
    url = reverse("reuse:resources")
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert list(response.context["page_obj"]) == [video, tender]
    assert list(client.get(url, {"type": "tender"}).context["page_obj"]) == [tender]
    assert list(client.get(url, {"theme": "mobilites"}).context["page_obj"]) == [video]
    assert list(client.get(url, {"technique": "optimisation"}).context["page_obj"]) == [tender]
    name = water.collectivite.name
    assert list(client.get(url, {"collectivite": name}).context["page_obj"]) == [tender]
    assert client.get(url, {"type": "astrologie"}).status_code == 400
    assert client.get(url, {"page": "99"}).status_code == 404


def test_same_solution_cases_on_the_sheet(client):
    case = UseCaseFactory(published=True, title="Prévoir les repas")
    sibling = UseCaseFactory(published=True, title="Détecter les dépôts sauvages")
    draft = UseCaseFactory(title="Brouillon avec la solution")
    SolutionFactory(cases=[case, sibling, draft])
    response = client.get(case.get_absolute_url())
    assert response.context["same_solution_cases"] == [sibling]
    assert "Avec la même solution" in response.content.decode()
