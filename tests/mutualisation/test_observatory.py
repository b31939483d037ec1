"""The dependency observatory and the reuse figures of /statistiques/ and solution pages."""

import pytest
from django.urls import reverse

from tests.factories import CollectiviteFactory, UseCaseFactory
from tests.mutualisation.factories import DeclarationFactory, SolutionFactory
from usecases.mutualisation.observatory import compute, solution_dependencies

pytestmark = pytest.mark.django_db


def rows(observatory, slug):
    dimension = next(
        d for d in [*observatory.dimensions, *observatory.reuse_dimensions] if d.slug == slug
    )
    return {row.label: row.count for row in dimension.rows}


def test_collectivites_counted_once_per_provider_location():
    rennes, muret = CollectiviteFactory(name="Rennes"), CollectiviteFactory(name="Muret")
    teams = SolutionFactory(
        name="Microsoft Teams", publisher="Microsoft", publisher_location="outside_eu"
    )
    wikit = SolutionFactory(
        name="Wikit", publisher="Wikit", publisher_location="france", model_family="several"
    )
    libre = SolutionFactory(name="Outil libre", kind="open_source", publisher="Communauté")
    a = UseCaseFactory(published=True, collectivite=rennes, hosting="non_eu_cloud")
    b = UseCaseFactory(published=True, collectivite=rennes)
    teams.use_cases.add(a, b)
    wikit.use_cases.add(a)
    libre.use_cases.add(UseCaseFactory(title="Brouillon"))  # not published: not counted
    DeclarationFactory(use_case=a, collectivite=muret, kind="adopted")  # the case's solutions
    DeclarationFactory(use_case=b, kind="considering")  # only « adopted » is reliance
    DeclarationFactory(use_case=b, kind="adopted", hidden_at="2026-01-01T00:00Z")  # hidden
    observatory = compute()
    assert rows(observatory, "dependance-siege") == {
        "France": 2,
        "Union européenne (hors France)": 0,
        "Hors Union européenne": 2,
        "Non renseigné": 0,
    }
    assert rows(observatory, "dependance-modele") == {"Plusieurs modèles au choix": 2}
    assert rows(observatory, "dependance-editeurs") == {"Microsoft": 2, "Wikit": 2}
    assert (observatory.collectivites, observatory.outside_eu, observatory.open_source) == (2, 2, 0)
    assert rows(observatory, "dependance-hebergement")["Cloud hors Union européenne"] == 1
    assert rows(observatory, "reprises-situation") == {
        "Nous l’avons aussi mis en place": 1,
        "Nous l’envisageons": 1,
        "Nous l’avons testé puis arrêté": 0,
    }
    assert observatory.reuse_total == 2


def test_a_declaration_naming_a_solution_counts_for_that_one():
    case = UseCaseFactory(published=True)
    SolutionFactory(name="Celle de la fiche", publisher_location="france", cases=[case])
    other = SolutionFactory(name="Autre", publisher_location="eu")
    DeclarationFactory(use_case=case, solution=other)
    assert rows(compute(), "dependance-siege")["Union européenne (hors France)"] == 1


def test_statistics_page_shows_the_observatory(client):
    case = UseCaseFactory(published=True)
    SolutionFactory(
        name="API d’OpenAI", publisher="OpenAI", publisher_location="outside_eu", cases=[case]
    )
    content = client.get(reverse("statistics")).content.decode()
    assert "1 dépendent d’un éditeur établi hors de l’Union européenne" in content
    assert '<th scope="col">Collectivités</th>' in content
    assert reverse("reuse:observatory") in content


def test_observatory_page_has_every_figure(client, django_assert_max_num_queries):
    case = UseCaseFactory(published=True)
    SolutionFactory(publisher_location="outside_eu", model_family="mistral", cases=[case])
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reuse:observatory"))
    content = response.content.decode()
    assert content.count('<table class="chart__table">') == 7
    assert "Mistral AI" in content


def test_solution_page_has_its_dependency_chart(client):
    cases = [UseCaseFactory(published=True, hosting="sovereign_cloud") for _ in range(2)]
    solution = SolutionFactory(cases=cases)
    dimension = solution_dependencies(solution)[0]
    assert {row.label: row.count for row in dimension.rows} == {"Cloud souverain en France": 2}
    assert (
        'id="stat-solution-hebergement"' in client.get(solution.get_absolute_url()).content.decode()
    )
