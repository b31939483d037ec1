import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import UseCaseFactory, UserFactory
from usecases import services
from usecases.models import ModerationEvent

pytestmark = pytest.mark.django_db


def test_queue_lists_submissions_oldest_first(client, mod):
    newer = UseCaseFactory(status="submitted", title="Plus récente")
    older = UseCaseFactory(status="submitted", title="Plus ancienne")
    type(older).objects.filter(pk=older.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    UseCaseFactory(status="draft", title="Brouillon")
    client.force_login(mod)
    response = client.get(reverse("admin:usecases_submission_changelist"))
    assert response.status_code == 200
    titles = [u.title for u in response.context["cl"].result_list]
    assert titles == [older.title, newer.title]


def test_moderator_requests_changes_with_a_message(
    client, mod, author, django_capture_on_commit_callbacks
):
    use_case = UseCaseFactory(author=author, status="submitted")
    client.force_login(mod)
    url = reverse("admin:usecases_submission_change", args=[use_case.pk])
    assert client.get(url).status_code == 200
    missing = client.post(url, {"decision": "request_changes", "message": ""})
    assert missing.status_code == 400
    assert "Expliquez votre décision" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"decision": "request_changes", "message": "Ajoutez les résultats chiffrés."}
        )
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.status == "changes_requested"
    event = ModerationEvent.objects.get()
    assert event.actor == mod and event.message == "Ajoutez les résultats chiffrés."
    assert "Ajoutez les résultats chiffrés." in mail.outbox[0].body


def test_moderator_publishes_from_the_admin_action(client, mod):
    use_case = UseCaseFactory(status="submitted")
    client.force_login(mod)
    response = client.post(
        reverse("admin:usecases_usecase_changelist"),
        {"action": "publish", "_selected_action": [use_case.pk]},
    )
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.status == "published"


def test_history_is_shown_read_only_on_the_sheet(client, mod):
    use_case = UseCaseFactory(status="submitted")
    services.use_case_publish(use_case=use_case, moderator=mod)
    client.force_login(mod)
    response = client.get(reverse("admin:usecases_usecase_change", args=[use_case.pk]))
    content = response.content.decode()
    assert "Historique (1 entrée)" in content
    assert "en revue → publié" in content
    assert "moderation_events-0-message" not in content  # read-only, not a form field


def test_revision_page_shows_a_field_by_field_comparison(client, mod, author):
    use_case = UseCaseFactory(author=author, published=True, title="Titre publié")
    revision = services.revision_open(use_case=use_case, by=author)
    revision.data = {**revision.data, "title": "Titre proposé"}
    revision.save()
    services.revision_submit(revision=revision, by=author)
    client.force_login(mod)
    response = client.get(reverse("admin:usecases_usecaserevision_change", args=[revision.pk]))
    content = response.content.decode()
    assert "Titre publié" in content and "Titre proposé" in content


def test_contributors_cannot_reach_the_moderation_queue(client, author):
    client.force_login(author)
    response = client.get(reverse("admin:usecases_submission_changelist"))
    assert response.status_code == 302


def test_moderators_group_has_just_what_moderation_needs():
    group = Group.objects.get(name="Modérateurs")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_submission", "change_usecaserevision", "view_moderationevent"} <= codenames
    assert "delete_usecase" not in codenames
    assert not any(code.endswith("_user") and code != "view_user" for code in codenames)


def test_make_moderator_command(monkeypatch):
    user = UserFactory(username="agent@example.org")
    call_command("make_moderator", "agent@example.org")
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name="Modérateurs").exists()
    with pytest.raises(CommandError):
        call_command("make_moderator", "absent@example.org")
    monkeypatch.setenv("DJANGO_MODERATOR_PASSWORD", "une-phrase-de-passe-solide")
    call_command("make_moderator", "nouvelle@example.org", "--create")
    from django.contrib.auth import get_user_model

    created = get_user_model().objects.get(email="nouvelle@example.org")
    assert created.check_password("une-phrase-de-passe-solide") and created.is_staff
