import uuid

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UseCaseFactory
from usecases.models import ModerationEvent, UseCase

pytestmark = pytest.mark.django_db


def test_contribute_page_leads_to_sign_up(client):
    """« Proposer un cas d’usage » is in every page's header and leads to sign-up."""
    home = client.get("/").content.decode()
    assert reverse("usecases:contribute") in home
    page = client.get(reverse("usecases:contribute")).content.decode()
    assert reverse("account_signup") in page


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("usecases:create", {}),
        ("usecases:my_contributions", {}),
        ("usecases:edit", {"pk": 1}),
        ("usecases:resources", {"pk": 1}),
        ("usecases:preview", {"pk": 1}),
        ("usecases:revision", {"pk": 1}),
    ],
)
def test_anonymous_users_are_sent_to_log_in(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_draft_needs_only_a_title(author_client):
    response = author_client.post(
        reverse("usecases:create"),
        {"title": "Un projet à décrire", "action": "draft", "creation_key": uuid.uuid4()},
    )
    use_case = UseCase.objects.get()
    assert response.status_code == 302
    assert use_case.status == "draft"
    assert use_case.slug == "un-projet-a-decrire"


def test_errors_are_shown_next_to_fields_and_summarised_and_input_is_kept(author_client):
    """A failed submission answers 400, lists the errors at the top and keeps what was typed."""
    response = author_client.post(
        reverse("usecases:create"),
        {"title": "", "summary": "Mon résumé <b>gras</b>", "action": "submit"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "data-error-summary" in content
    assert 'href="#id_title"' in content
    assert 'aria-invalid="true"' in content
    assert "Mon résumé &lt;b&gt;gras&lt;/b&gt;" in content
    assert not UseCase.objects.exists()


def test_submitting_an_incomplete_sheet_lists_what_is_missing(author_client, draft):
    response = author_client.post(
        reverse("usecases:edit", args=[draft.pk]),
        {"title": draft.title, "action": "submit"},
    )
    assert response.status_code == 400
    assert "nécessaire pour soumettre" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submitting_a_complete_sheet_notifies_moderators(
    author_client, complete_data, mod, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            reverse("usecases:create"),
            {**complete_data, "action": "submit", "creation_key": uuid.uuid4()},
        )
    assert response.status_code == 302
    use_case = UseCase.objects.get()
    assert use_case.status == "submitted"
    assert set(use_case.tags.names()) == {"eau potable", "fuites"}
    event = ModerationEvent.objects.get()
    assert (event.from_status, event.to_status) == ("draft", "submitted")
    assert [message.to for message in mail.outbox] == [[mod.email]]
    assert use_case.title in mail.outbox[0].subject


def test_double_click_creates_one_case(author_client, complete_data):
    """The same creation form posted twice makes one case and one submission."""
    key = uuid.uuid4()
    for _ in range(2):
        author_client.post(
            reverse("usecases:create"), {**complete_data, "action": "submit", "creation_key": key}
        )
    assert UseCase.objects.count() == 1
    assert ModerationEvent.objects.count() == 1


def test_posting_extra_fields_cannot_publish(author_client, complete_data, draft):
    """Mass assignment: status, author, slug or collectivité in the POST are ignored."""
    response = author_client.post(
        reverse("usecases:edit", args=[draft.pk]),
        {
            **complete_data,
            "action": "draft",
            "status": "published",
            "published_at": "2020-01-01",
            "author": 999,
            "collectivite": 1,
            "slug": "pirate",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.published_at is None
    assert draft.slug != "pirate"


def test_another_contributors_sheet_does_not_exist(client, other, draft):
    """IDOR: someone else's sheet gives 404 on every contributor page."""
    client.force_login(other)
    for name in ("usecases:edit", "usecases:resources", "usecases:preview", "usecases:revision"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404, name
    assert client.post(reverse("usecases:submit", args=[draft.pk])).status_code == 404


def test_a_submitted_sheet_is_not_editable(author_client, draft):
    draft.status = "submitted"
    draft.summary = "Résumé"
    draft.save()
    assert author_client.get(reverse("usecases:edit", args=[draft.pk])).status_code == 404


def test_preview_shows_the_sheet_to_its_author_only(client, author, other, mod, draft):
    client.force_login(author)
    response = client.get(reverse("usecases:preview", args=[draft.pk]))
    assert response.status_code == 200
    assert "Aperçu" in response.content.decode()
    # Moderators see it once sent (tests/contribution/test_privacy.py), not as a draft.
    client.force_login(mod)
    assert client.get(reverse("usecases:preview", args=[draft.pk])).status_code == 404
    client.force_login(other)
    assert client.get(reverse("usecases:preview", args=[draft.pk])).status_code == 404


def test_my_contributions_lists_states_and_last_message(author_client, author, mod):
    from usecases import services

    collectivite = author.contributor_profile.collectivite
    UseCaseFactory(author=author, collectivite=collectivite, title="Un brouillon")
    asked = UseCaseFactory(
        author=author, collectivite=collectivite, title="À corriger", status="submitted"
    )
    services.use_case_request_changes(
        use_case=asked, moderator=mod, message="Précisez les chiffres de 2024."
    )
    UseCaseFactory(title="La fiche d’un autre")
    content = author_client.get(reverse("usecases:my_contributions")).content.decode()
    assert "Un brouillon" in content and "Brouillon" in content
    assert "À corriger" in content and "Modifications demandées" in content
    assert "Précisez les chiffres de 2024." in content
    assert "La fiche d’un autre" not in content


def test_update_of_a_published_sheet_leaves_it_online_until_accepted(
    author_client, author, complete_data, mod, client
):
    from usecases import services

    use_case = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        published=True,
        stage="experiment",
        **{k: v for k, v in complete_data.items() if k in ("title", "summary", "need", "solution")},
    )
    response = author_client.post(
        reverse("usecases:revision", args=[use_case.pk]),
        {
            **complete_data,
            "stage": "stopped",
            "end_year": "2025",
            "lessons_learned": "Le modèle manquait de données.",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.stage == "experiment"
    assert "Le modèle manquait" not in client.get(use_case.get_absolute_url()).content.decode()

    revision = use_case.revisions.get()
    labels = [change.label for change in services.revision_changes(revision)]
    assert any("Stade" in str(label) for label in labels)
    services.revision_accept(revision=revision, moderator=mod)
    use_case.refresh_from_db()
    assert use_case.stage == "stopped"
    assert use_case.lessons_learned == "Le modèle manquait de données."
    assert list(UseCase.objects.published().search("manquait")) == [use_case]
