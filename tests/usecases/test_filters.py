import pytest
from django.urls import reverse

from tests.factories import (
    CollectiviteFactory,
    DepartementFactory,
    RegionFactory,
    UseCaseFactory,
    theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    occitanie = RegionFactory(code="76", name="Occitanie")
    haute_garonne = DepartementFactory(code="31", name="Haute-Garonne", region=occitanie)
    sicoval = CollectiviteFactory(
        name="Sicoval", kind="ca", code="243100633", departement=haute_garonne
    )
    rennes = CollectiviteFactory(name="Rennes Métropole", kind="metropole", code="243500139")
    nantes = CollectiviteFactory(name="Nantes", kind="commune", code="44109")
    return {
        "leaks": UseCaseFactory(
            published=True,
            collectivite=sicoval,
            stage="deployment",
            hosting="sovereign_cloud",
            build_mode="vendor",
            start_year=2024,
            techniques=["apprentissage-automatique"],
            tags=["eau potable", "fuites"],
        ),
        "plants": UseCaseFactory(
            published=True,
            collectivite=rennes,
            stage="generalised",
            hosting="non_eu_cloud",
            build_mode="vendor",
            start_year=2021,
            techniques=["apprentissage-automatique", "optimisation"],
            tags=["énergie", "eau potable"],
        ),
        "canteen": UseCaseFactory(
            published=True,
            collectivite=nantes,
            theme=theme("citoyennete-sante-et-solidarite"),
            stage="experiment",
            hosting="on_premise",
            build_mode="in_house",
            start_year=2020,
            techniques=["apprentissage-automatique"],
            tags=["cantine"],
        ),
    }


def results(client, params):
    response = client.get(reverse("usecases:list"), params)
    assert response.status_code == 200, response.content[:500]
    return set(response.context["page_obj"].object_list)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"theme": "transition-ecologique-et-energetique"}, {"leaks", "plants"}),
        ({"theme": ["citoyennete-sante-et-solidarite", "mobilites"]}, {"canteen"}),
        ({"region": "76"}, {"leaks"}),
        ({"region": "53"}, {"plants", "canteen"}),
        ({"departement": "31"}, {"leaks"}),
        ({"type": "ca"}, {"leaks"}),
        ({"type": ["commune", "metropole"]}, {"plants", "canteen"}),
        ({"stade": "experiment"}, {"canteen"}),
        ({"stade": ["deployment", "generalised"]}, {"leaks", "plants"}),
        ({"technique": "optimisation"}, {"plants"}),
        (
            {"technique": ["optimisation", "apprentissage-automatique"]},
            {"leaks", "plants", "canteen"},
        ),
        ({"hebergement": "on_premise"}, {"canteen"}),
        ({"realisation": "vendor"}, {"leaks", "plants"}),
        ({"mot_cle": "eau-potable"}, {"leaks", "plants"}),
        ({"mot_cle": ["cantine", "fuites"]}, {"canteen", "leaks"}),
        ({"annee": "2021"}, {"plants"}),
        ({"theme": "transition-ecologique-et-energetique", "stade": "deployment"}, {"leaks"}),
        ({"mot_cle": "eau-potable", "region": "53", "realisation": "vendor"}, {"plants"}),
        ({"q": "Sicoval", "technique": "apprentissage-automatique"}, {"leaks"}),
        ({"q": "Sicoval", "region": "53"}, set()),
    ],
)
def test_each_filter_and_combinations(client, catalogue, params, expected):
    """Criteria combine with AND; options of one criterion combine with OR."""
    assert results(client, params) == {catalogue[name] for name in expected}


def test_multi_valued_m2m_filters_do_not_duplicate_rows(client, catalogue):
    """A case matching two selected techniques or tags appears once."""
    response = client.get(
        reverse("usecases:list"),
        {
            "technique": ["optimisation", "apprentissage-automatique"],
            "mot_cle": ["eau-potable", "energie"],
        },
    )
    cases = list(response.context["page_obj"].object_list)
    assert len(cases) == len(set(cases)) == 2


def test_sort_by_title_and_recent(client, catalogue):
    UseCaseFactory(published=True, title="Analyser les avis des habitants")
    titles = [
        u.title for u in client.get(reverse("usecases:list"), {"tri": "titre"}).context["page_obj"]
    ]
    assert titles == sorted(titles)
    recent = list(client.get(reverse("usecases:list")).context["page_obj"])
    dates = [u.published_at for u in recent]
    assert dates == sorted(dates, reverse=True)


def facet(response, name):
    return {
        o.value: o.count for f in response.context["facets"] if f.name == name for o in f.options
    }


def test_facet_counts_reflect_other_criteria(client, catalogue):
    """Each option counts the results it would give, the other criteria being applied."""
    response = client.get(reverse("usecases:list"), {"stade": "experiment"})
    # The stage facet ignores the selected stage: choosing another stage would give these.
    assert facet(response, "stade")["deployment"] == 1
    assert facet(response, "stade")["experiment"] == 1
    assert facet(response, "stade")["idea"] == 0
    # Other facets are restricted to the selected stage.
    assert facet(response, "theme") == {
        "transition-ecologique-et-energetique": 0,
        "attractivite-et-amenagement": 0,
        "citoyennete-sante-et-solidarite": 1,
        "mobilites": 0,
        "gouvernance-et-socles-technologiques": 0,
        "administration-et-organisation-interne": 0,
    }
    assert facet(response, "mot_cle") == {"cantine": 1}
    assert facet(response, "technique")["apprentissage-automatique"] == 1


def test_facet_counts_without_filters(client, catalogue):
    response = client.get(reverse("usecases:list"))
    assert facet(response, "technique")["apprentissage-automatique"] == 3
    assert facet(response, "technique")["optimisation"] == 1
    assert facet(response, "mot_cle") == {"eau-potable": 2, "fuites": 1, "energie": 1, "cantine": 1}
    assert facet(response, "region") == {"76": 1, "53": 2}
    assert facet(response, "annee") == {"2024": 1, "2021": 1, "2020": 1}
    assert facet(response, "type")["ca"] == 1
    assert facet(response, "realisation") == {"in_house": 1, "open_source": 0, "vendor": 2}


def test_departements_are_offered_once_a_region_is_chosen(client, catalogue):
    """A hundred départements would weigh on every page: they come with their région."""
    response = client.get(reverse("usecases:list"))
    assert "departement" not in {item.name for item in response.context["facets"]}
    assert 'name="departement"' not in response.content.decode()
    response = client.get(reverse("usecases:list"), {"region": "76"})
    assert facet(response, "departement") == {"31": 1}
    assert '<option value="31">Haute-Garonne (31) (1)</option>' in response.content.decode()
    # A département given without its région (a shared link) stays shown, and selected.
    response = client.get(reverse("usecases:list"), {"departement": "31"})
    assert facet(response, "departement")["31"] == 1
    assert '<option value="31" selected>' in response.content.decode()


def test_facet_counts_respect_search(client, catalogue):
    response = client.get(reverse("usecases:list"), {"q": "sicoval"})
    assert facet(response, "realisation") == {"in_house": 0, "open_source": 0, "vendor": 1}


def test_selected_options_are_checked_in_the_form(client, catalogue):
    response = client.get(reverse("usecases:list"), {"stade": "experiment", "region": "53"})
    content = response.content.decode()
    assert 'name="stade" value="experiment" id="f-stade-2" checked' in content
    assert '<option value="53" selected>' in content


def test_filter_state_is_kept_in_pagination_links(client, catalogue):
    """Every state is a shareable URL: page links keep the filters."""
    UseCaseFactory.create_batch(25, published=True, stage="idea")
    response = client.get(reverse("usecases:list"), {"stade": "idea"})
    assert "?stade=idea&amp;page=2" in response.content.decode()
