"""The sheet form's « Solution » field: pick by name or propose one; updates carry it."""

import pytest
from django.urls import reverse

from tests.factories import UseCaseFactory
from tests.mutualisation.factories import SolutionFactory
from usecases import diff, services
from usecases.models import UseCase
from usecases.mutualisation.models import Solution

pytestmark = pytest.mark.django_db


def create(client, data, **extra):
    return client.post(reverse("usecases:create"), {**data, "action": "draft", **extra})


def test_an_existing_solution_is_picked_by_its_name(author_client, complete_data):
    leakmited = SolutionFactory(name="Leakmited")
    response = create(author_client, complete_data, solutions_text="  leakmited ")
    assert response.status_code == 302
    assert list(UseCase.objects.get().solutions.all()) == [leakmited]
    assert Solution.objects.count() == 1


def test_a_new_name_is_proposed_as_a_solution(author_client, complete_data):
    create(author_client, complete_data, solutions_text="Outil maison ; Leakmited")
    use_case = UseCase.objects.get()
    assert sorted(s.name for s in use_case.solutions.all()) == ["Leakmited", "Outil maison"]
    # Proposed, but named by a draft only: not public.
    assert author_client.get(reverse("reuse:solution", args=["outil-maison"])).status_code == 404


def test_a_name_close_to_an_existing_one_is_questioned_once(author_client, complete_data):
    SolutionFactory(name="Leakmited")
    response = create(author_client, complete_data, solutions_text="Leakmited SAS")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Des solutions proches existent déjà : « Leakmited »" in content
    assert 'value="Leakmited SAS"' in content  # the form keeps what was typed
    confirmed = create(
        author_client, complete_data, solutions_text="Leakmited SAS", solutions_confirm_new="on"
    )
    assert confirmed.status_code == 302
    assert [s.name for s in UseCase.objects.get().solutions.all()] == ["Leakmited SAS"]


def test_the_edit_form_shows_the_current_solutions(author_client, author):
    use_case = UseCaseFactory(author=author, collectivite=author.contributor_profile.collectivite)
    SolutionFactory(name="Wikit", cases=[use_case])
    content = author_client.get(reverse("usecases:edit", args=[use_case.pk])).content.decode()
    assert 'value="Wikit"' in content
    assert "data-solution-autocomplete" in content


def test_an_update_changes_the_solutions_only_once_accepted(
    author_client, author, complete_data, mod
):
    use_case = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        published=True,
        **{k: v for k, v in complete_data.items() if k in ("title", "summary", "need", "solution")},
    )
    old = SolutionFactory(name="Ancienne", cases=[use_case])
    response = author_client.post(
        reverse("usecases:revision", args=[use_case.pk]),
        {**complete_data, "solutions_text": "Nouvelle solution", "action": "submit"},
    )
    assert response.status_code == 302
    assert list(use_case.solutions.all()) == [old]
    revision = use_case.revisions.get()
    changes = {change.label: change.after for change in services.revision_changes(revision)}
    assert changes["Solution utilisée"] == "Nouvelle solution"
    # The review screen's sheet shows the proposed solutions, the public one the current ones.
    proposed = diff.ProposedSheet(use_case, revision.data)
    assert [s.name for s in proposed.solutions.all()] == ["Nouvelle solution"]
    services.revision_accept(revision=revision, moderator=mod)
    assert [s.name for s in use_case.solutions.all()] == ["Nouvelle solution"]
