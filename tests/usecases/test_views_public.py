import pytest
from django.urls import reverse

from tests.factories import CollectiviteFactory, ResourceFactory, UseCaseFactory, theme
from usecases.choices import Status

pytestmark = pytest.mark.django_db


def test_home_lists_themes_latest_cases_and_figures(client):
    """The home page shows the six themes with counts, the latest cases and key figures."""
    UseCaseFactory(published=True, title="Détecter les fuites d’eau")
    UseCaseFactory(title="Un brouillon caché")
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="themes"') == 1
    for name in (
        "Transition écologique et énergétique",
        "Attractivité et aménagement",
        "Citoyenneté, santé et solidarité",
        "Mobilités",
        "Gouvernance et socles technologiques",
        "Administration et organisation interne",
    ):
        assert name in content
    assert "Détecter les fuites d’eau" in content
    assert "Un brouillon caché" not in content
    assert response.context["figures"]["use_cases"] == 1
    # In their official order, although counting groups rows (Meta.ordering is then ignored).
    assert [t.position for t in response.context["themes"]] == [1, 2, 3, 4, 5, 6]


def test_list_shows_only_published_cases(client):
    """Drafts, submissions and archived cases never appear in the public list."""
    published = UseCaseFactory(published=True)
    for status in (Status.DRAFT, Status.SUBMITTED, Status.REJECTED, Status.ARCHIVED):
        UseCaseFactory(status=status)
    response = client.get(reverse("usecases:list"))
    assert list(response.context["page_obj"].object_list) == [published]


def test_list_paginates_by_twenty(client):
    """Twenty cases per page; page 2 holds the rest."""
    UseCaseFactory.create_batch(23, published=True)
    first = client.get(reverse("usecases:list"))
    assert len(first.context["page_obj"].object_list) == 20
    second = client.get(reverse("usecases:list"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 3


@pytest.mark.parametrize("page", ["abc", "0", "3", "-1", "9999999999999999999999"])
def test_bad_page_gives_french_404(client, page):
    """A page that is not a number or lies past the end gives the French 404 page."""
    UseCaseFactory(published=True)
    response = client.get(reverse("usecases:list"), {"page": page})
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"stade": "inconnu"},
        {"theme": "pas-un-theme"},
        {"region": "999"},
        {"departement": "ZZ"},
        {"type": "empire"},
        {"technique": "magie"},
        {"hebergement": "lune"},
        {"realisation": "?"},
        {"mot_cle": "n-existe-pas"},
        {"mot_cle": "pas un slug !"},
        {"annee": "deux-mille"},
        {"annee": "1200"},
        {"tri": "prix"},
        {"q": "x" * 201},
    ],
)
def test_bad_filter_value_gives_400_with_french_error(client, params):
    """Unknown or malformed filter values answer 400 with the form's French error."""
    response = client.get(reverse("usecases:list"), params)
    assert response.status_code == 400
    content = response.content.decode()
    assert "La recherche n’a pas pu être faite" in content
    assert 'role="alert"' in content


def test_html_in_query_is_escaped(client):
    """HTML typed in the search box is shown escaped, never interpreted."""
    response = client.get(reverse("usecases:list"), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_detail_shows_the_full_sheet(client):
    """The sheet shows its sections, resources, tags, collectivité, theme and transparency."""
    use_case = UseCaseFactory(
        published=True,
        need="Réduire les pertes du réseau.",
        lessons_learned="Associer les équipes de terrain dès le début.",
        human_oversight="human_decides",
        tags=["eau potable"],
        techniques=["apprentissage-automatique"],
    )
    ResourceFactory(use_case=use_case, title="Article Numérique360")
    response = client.get(use_case.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        "Le besoin",
        "La solution",
        "L’IA et les données",
        "Résultats et impacts",
        "Réalisation et hébergement",
        "Transparence",
        "Enseignements et difficultés",
        "Réduire les pertes du réseau.",
        "Article Numérique360",
        "eau potable",
        "Prédiction / apprentissage automatique",
        use_case.collectivite.get_absolute_url(),
        use_case.theme.get_absolute_url(),
        "critères renseignés sur 8",
    ):
        assert text in content, text


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.ARCHIVED])
def test_unpublished_sheet_gives_404(client, status):
    """A case that is not published is not found."""
    use_case = UseCaseFactory(status=status)
    response = client.get(use_case.get_absolute_url())
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_unknown_slug_gives_404(client):
    """An unknown slug gives the French 404 page."""
    response = client.get("/cas-d-usage/n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html


def test_theme_page_lists_cases_of_that_theme(client):
    """/themes/<slug>/ lists the published cases of the theme only."""
    mobility = UseCaseFactory(published=True, theme=theme("mobilites"))
    UseCaseFactory(published=True)
    response = client.get(reverse("usecases:theme", kwargs={"slug": "mobilites"}))
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == [mobility]
    assert all(facet.name != "theme" for facet in response.context["facets"])


def test_unknown_theme_gives_404(client):
    assert client.get("/themes/astrologie/").status_code == 404


def test_related_cases_are_similar_by_text_same_theme_first(client):
    """A sheet proposes published cases sharing its words; the same theme breaks ties."""
    use_case = UseCaseFactory(published=True, title="Détecter les fuites du réseau d’eau")
    neighbour = UseCaseFactory(published=True, title="Détecter les fuites d’eau potable")
    other_theme = UseCaseFactory(
        published=True, title="Fuites d’eau des fontaines", theme=theme("mobilites")
    )
    UseCaseFactory(published=True, title="Prévoir les repas des cantines")
    UseCaseFactory(title="Détecter les fuites, brouillon")
    response = client.get(use_case.get_absolute_url())
    assert list(response.context["related_cases"]) == [neighbour, other_theme]


def test_collectivite_pages(client):
    """The list shows collectivités with published cases; the page shows their cases."""
    epci = CollectiviteFactory(name="Rennes Métropole", kind="metropole", code="243500139")
    commune = CollectiviteFactory(name="Rennes", code="35238", epci=epci)
    CollectiviteFactory(name="Saint-Malo", code="35288")
    epci_case = UseCaseFactory(published=True, collectivite=epci, title="Piloter les stations")
    commune_case = UseCaseFactory(published=True, collectivite=commune, title="Un cas communal")

    listing = client.get(reverse("collectivites:list"))
    names = [c.name for c in listing.context["page_obj"].object_list]
    assert sorted(names) == ["Rennes", "Rennes Métropole"]
    every = client.get(reverse("collectivites:list"), {"toutes": "on", "q": "saint malo"})
    assert [c.name for c in every.context["page_obj"].object_list] == ["Saint-Malo"]

    commune_page = client.get(commune.get_absolute_url())
    assert list(commune_page.context["own_cases"]) == [commune_case]
    assert list(commune_page.context["epci_cases"]) == [epci_case]
    epci_page = client.get(epci.get_absolute_url())
    assert list(epci_page.context["member_cases"]) == [commune_case]


def test_collectivite_search_is_accent_insensitive(client):
    CollectiviteFactory(name="Île-de-France", kind="region", code="11")
    response = client.get(reverse("collectivites:list"), {"q": "ile de france", "toutes": "on"})
    assert [c.name for c in response.context["page_obj"].object_list] == ["Île-de-France"]


@pytest.mark.postgres
def test_similar_cases_are_ranked_among_a_bounded_number_of_matches(monkeypatch):
    """PostgreSQL ranks only the first CANDIDATES matches: ranking every match of a common word
    took a second per sheet at 100,000 cases."""
    from django.db import connection

    from usecases.mutualisation import similar

    if connection.vendor != "postgresql":
        pytest.skip("the candidate bound is PostgreSQL's (SQLite counts words)")
    use_case = UseCaseFactory(published=True, title="Détecter les fuites du réseau d’eau")
    for number in range(3):
        UseCaseFactory(published=True, title=f"Détecter les fuites d’eau, cas {number}")
    assert len(similar.similar_cases(use_case)) == 3
    monkeypatch.setattr(similar, "CANDIDATES", 1)
    assert len(similar.similar_cases(use_case)) == 1
