"""Solutions as entities: public pages, old slugs, merges, the real fixture's links."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UseCaseFactory
from tests.mutualisation.factories import DeclarationFactory, SolutionFactory
from tests.usecases.test_load_use_cases import create_referential
from usecases.mutualisation import services
from usecases.mutualisation.models import ReuseDeclaration, Solution

pytestmark = pytest.mark.django_db


def test_solution_page_lists_its_published_cases_and_declarations(client):
    published = UseCaseFactory(published=True, title="Détecter les fuites")
    draft = UseCaseFactory(title="Brouillon secret")
    solution = SolutionFactory(name="Leakmited", cases=[published, draft])
    DeclarationFactory(use_case=published, collectivite__name="Commune qui reprend")
    DeclarationFactory(
        use_case=published, collectivite__name="Commune masquée", hidden_at="2026-01-01T00:00Z"
    )
    response = client.get(solution.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Détecter les fuites" in content
    assert "Brouillon secret" not in content
    assert "Commune qui reprend" in content
    assert "Commune masquée" not in content
    assert response.context["collectivite_count"] == 2


def test_a_solution_named_by_drafts_only_is_not_public(client):
    solution = SolutionFactory(cases=[UseCaseFactory(status="draft")])
    assert client.get(solution.get_absolute_url()).status_code == 404
    assert client.get(reverse("reuse:solution", args=["inconnue"])).status_code == 404
    assert solution not in client.get(reverse("reuse:solutions")).context["page_obj"]


def test_list_counts_sheets_and_searches(client):
    a = SolutionFactory(name="Alpha", cases=[UseCaseFactory(published=True) for _ in range(2)])
    b = SolutionFactory(name="Bêta", publisher="Orange", cases=[UseCaseFactory(published=True)])
    response = client.get(reverse("reuse:solutions"))
    assert [(s.name, s.published_count) for s in response.context["page_obj"]] == [
        ("Alpha", 2),
        ("Bêta", 1),
    ]
    found = client.get(reverse("reuse:solutions"), {"q": "orange"}).context["page_obj"]
    assert list(found) == [b] and a not in found
    assert client.get(reverse("reuse:solutions"), {"q": "x" * 101}).status_code == 400


def test_renamed_solution_redirects_from_its_old_slug(client):
    solution = SolutionFactory(slug="ancien", cases=[UseCaseFactory(published=True)])
    solution.slug = "nouveau"
    solution.save()
    response = client.get(reverse("reuse:solution", args=["ancien"]))
    assert response.status_code == 301
    assert response["Location"] == reverse("reuse:solution", args=["nouveau"])


def test_merge_moves_cases_and_declarations_and_redirects(client):
    case_a, case_b = UseCaseFactory(published=True), UseCaseFactory(published=True)
    keep = SolutionFactory(name="Delibia", slug="delibia", cases=[case_a])
    duplicate = SolutionFactory(name="DELIBIA SAS", slug="delibia-sas", cases=[case_b])
    declaration = DeclarationFactory(use_case=case_b, solution=duplicate)
    services.solution_merge(duplicate=duplicate, into=keep)
    assert set(keep.use_cases.all()) == {case_a, case_b}
    assert ReuseDeclaration.objects.get(pk=declaration.pk).solution == keep
    assert not Solution.objects.filter(pk=duplicate.pk).exists()
    response = client.get(reverse("reuse:solution", args=["delibia-sas"]))
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()
    with pytest.raises(services.ReuseError):
        services.solution_merge(duplicate=keep, into=keep)


def test_admin_merge_action_asks_which_to_keep(client, mod):
    case = UseCaseFactory(published=True)
    first = SolutionFactory(name="Wikit", cases=[case])
    second = SolutionFactory(name="Wikit SAS")
    client.force_login(mod)
    url = reverse("admin:reuse_solution_changelist")
    data = {"action": "merge_solutions", "_selected_action": [first.pk, second.pk]}
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    assert "Solution à conserver" in confirm.content.decode()
    done = client.post(url, {**data, "apply": "1", "keep": second.pk})
    assert done.status_code == 302
    assert list(Solution.objects.all()) == [second]
    assert list(second.use_cases.all()) == [case]


def test_proposing_an_existing_name_returns_it():
    existing = SolutionFactory(name="Flux Vision")
    assert services.solution_propose(name="  flux   vision ") == existing
    created = services.solution_propose(name="Nouvel outil")
    assert created.slug == "nouvel-outil" and Solution.objects.count() == 2


def test_sheet_links_to_its_solutions(client):
    use_case = UseCaseFactory(published=True)
    solution = SolutionFactory(name="Purecontrol", cases=[use_case])
    content = client.get(use_case.get_absolute_url()).content.decode()
    assert f'href="{solution.get_absolute_url()}"' in content


def test_real_fixtures_link_cases_to_the_solutions_their_sources_name(db):
    create_referential()
    call_command("load_use_cases", stdout=io.StringIO())
    call_command("load_solutions", stdout=io.StringIO())
    call_command("load_solutions", stdout=io.StringIO())  # idempotent
    linked = {
        solution.slug: sorted(solution.use_cases.values_list("slug", flat=True))
        for solution in Solution.objects.all()
    }
    assert linked["leakmited"] == [
        "capi-detection-fuites-eau-potable",
        "sicoval-detection-fuites-eau-potable",
    ]
    assert linked["delibia"] == [
        "numerian-delibia-redaction-actes-communes",
        "rouen-normandie-delibia-decisions-publiques",
    ]
    assert Solution.objects.count() == 9
    assert all(cases for cases in linked.values())


def test_solution_pages_queries_are_bounded(client, django_assert_max_num_queries):
    cases = [UseCaseFactory(published=True, techniques=["optimisation"]) for _ in range(8)]
    solutions = [SolutionFactory(cases=cases[i : i + 3]) for i in range(6)]
    for case in cases:
        DeclarationFactory(use_case=case, solution=solutions[0])
    with django_assert_max_num_queries(4):
        assert client.get(reverse("reuse:solutions")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(solutions[0].get_absolute_url()).status_code == 200


def test_suggestions_are_json(client):
    SolutionFactory(name="Leakmited")
    response = client.get(reverse("reuse:solution_suggestions"), {"q": "leak"})
    assert response.json() == {"results": ["Leakmited"]}
