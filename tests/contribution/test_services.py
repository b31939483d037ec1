import threading

import pytest
from django.core import mail
from django.db import connection

from tests.factories import UseCaseFactory
from usecases import services
from usecases.models import ModerationEvent, UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(author):
    return UseCaseFactory(
        author=author, collectivite=author.contributor_profile.collectivite, status="submitted"
    )


@pytest.mark.parametrize(
    "service, kwargs, start, end",
    [
        (services.use_case_publish, {}, "submitted", "published"),
        (services.use_case_publish, {}, "archived", "published"),
        (
            services.use_case_request_changes,
            {"message": "Précisez."},
            "submitted",
            "changes_requested",
        ),
        (services.use_case_reject, {"message": "Hors sujet."}, "submitted", "rejected"),
        (services.use_case_archive, {"message": "Projet arrêté."}, "published", "archived"),
    ],
)
def test_allowed_transitions_record_an_event_and_email_the_contributor(
    author, mod, service, kwargs, start, end, django_capture_on_commit_callbacks
):
    use_case = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        status=start,
        published_at=None if start == "submitted" else "2025-03-10T09:00:00+01:00",
    )
    with django_capture_on_commit_callbacks(execute=True):
        event = service(use_case=use_case, moderator=mod, **kwargs)
    use_case.refresh_from_db()
    assert use_case.status == end
    assert (event.from_status, event.to_status, event.actor) == (start, end, mod)
    assert event.message == kwargs.get("message", "")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [author.email]
    if kwargs.get("message"):
        assert kwargs["message"] in mail.outbox[0].body
    if end == "published":
        assert use_case.published_at is not None


@pytest.mark.parametrize(
    "service, kwargs, start",
    [
        (services.use_case_publish, {}, "draft"),
        (services.use_case_publish, {}, "published"),
        (services.use_case_publish, {}, "rejected"),
        (services.use_case_request_changes, {"message": "x"}, "draft"),
        (services.use_case_reject, {"message": "x"}, "published"),
        (services.use_case_archive, {"message": "Projet arrêté."}, "submitted"),
        (services.use_case_request_changes, {"message": "  "}, "submitted"),
        (services.use_case_reject, {"message": ""}, "submitted"),
        (services.use_case_archive, {"message": " "}, "published"),
    ],
)
def test_refused_transitions_change_nothing(author, mod, service, kwargs, start):
    use_case = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        status=start,
        published_at=None if start in ("draft", "submitted") else "2025-03-10T09:00:00+01:00",
    )
    with pytest.raises(services.TransitionError):
        service(use_case=use_case, moderator=mod, **kwargs)
    use_case.refresh_from_db()
    assert use_case.status == start
    assert not ModerationEvent.objects.exists()


def test_a_stale_second_decision_is_refused(submitted, mod):
    """Two moderators on the same submission: the second decision finds it already decided."""
    stale = UseCase.objects.get(pk=submitted.pk)
    services.use_case_publish(use_case=submitted, moderator=mod)
    with pytest.raises(services.TransitionError):
        services.use_case_reject(use_case=stale, moderator=mod, message="Non.")
    assert ModerationEvent.objects.count() == 1


def test_submit_is_refused_when_incomplete(author):
    draft = UseCaseFactory(author=author, status="draft", summary="")
    with pytest.raises(services.TransitionError, match="incomplète"):
        services.use_case_submit(use_case=draft, by=author)


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_yield_exactly_one(author, mod):
    """Real concurrency (threads, separate connections): one decision wins, the other fails."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is not shared between threads")
    use_case = UseCaseFactory(
        author=author, collectivite=author.contributor_profile.collectivite, status="submitted"
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(service, **kwargs):
        try:
            barrier.wait()
            service(use_case=UseCase.objects.get(pk=use_case.pk), moderator=mod, **kwargs)
            outcomes.append("ok")
        except services.TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(services.use_case_publish,)),
        threading.Thread(
            target=decide, args=(services.use_case_reject,), kwargs={"message": "Non."}
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert ModerationEvent.objects.filter(use_case=use_case).count() == 1


def test_revision_is_refused_for_unpublished_cases(author):
    draft = UseCaseFactory(author=author, status="draft")
    with pytest.raises(services.TransitionError):
        services.revision_open(use_case=draft, by=author)


def test_rejected_revision_leaves_the_case_unchanged(author, mod):
    use_case = UseCaseFactory(
        author=author, collectivite=author.contributor_profile.collectivite, published=True
    )
    revision = services.revision_open(use_case=use_case, by=author)
    revision.data = {**revision.data, "title": "Un autre titre"}
    revision.save()
    services.revision_submit(revision=revision, by=author)
    services.revision_reject(revision=revision, moderator=mod, message="Titre moins clair.")
    use_case.refresh_from_db()
    assert use_case.title != "Un autre titre"
    revision.refresh_from_db()
    assert revision.status == "rejected"
    # A new update can then be started.
    assert services.revision_open(use_case=use_case, by=author).pk != revision.pk


@pytest.mark.parametrize(
    "decision, message, end",
    [
        ("publish", "", "published"),
        ("request_changes", "Précisez.", "changes_requested"),
        ("reject", "Hors sujet.", "rejected"),
    ],
)
def test_a_decision_by_name_is_the_same_transition_for_a_case(
    submitted, mod, decision, message, end
):
    event = services.use_case_decide(
        use_case=submitted, decision=decision, moderator=mod, message=message
    )
    assert (event.from_status, event.to_status, event.message) == ("submitted", end, message)
    assert UseCase.objects.get(pk=submitted.pk).status == end


def test_an_unknown_decision_is_refused_before_anything_changes(submitted, mod):
    with pytest.raises(ValueError):
        services.use_case_decide(use_case=submitted, decision="archive", moderator=mod)
    assert UseCase.objects.get(pk=submitted.pk).status == "submitted"
    assert not ModerationEvent.objects.exists()


def test_the_message_typed_with_a_publication_is_kept_and_emailed(
    author, mod, django_capture_on_commit_callbacks
):
    use_case = UseCaseFactory(author=author, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        event = services.use_case_publish(
            use_case=use_case, moderator=mod, message="Merci, belle fiche.\nÀ bientôt."
        )
    assert event.message == "Merci, belle fiche.\nÀ bientôt."
    assert "Merci, belle fiche.\nÀ bientôt." in mail.outbox[0].body


def test_archiving_closes_a_pending_update_and_emails_the_reason(
    author, mod, django_capture_on_commit_callbacks
):
    use_case = UseCaseFactory(author=author, published=True)
    revision = services.revision_open(use_case=use_case, by=author)
    services.revision_submit(revision=revision, by=author)
    services.revision_request_changes(revision=revision, moderator=mod, message="Précisez.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.use_case_archive(
            use_case=use_case, moderator=mod, message="Le projet a été arrêté en 2025."
        )
    revision.refresh_from_db()
    assert revision.status == "archived"
    closing = ModerationEvent.objects.get(revision=revision, to_status="archived")
    assert closing.message == "Le projet a été arrêté en 2025."
    assert len(mail.outbox) == 1
    assert "Le projet a été arrêté en 2025." in mail.outbox[0].body
    assert "La mise à jour que vous aviez proposée est close." in mail.outbox[0].body
    assert mail.outbox[0].subject.endswith(f"Fiche archivée : {use_case.title}")


def test_a_resubmission_is_compared_with_what_the_moderator_read(author, mod):
    use_case = UseCaseFactory(author=author, status="submitted", results="")
    assert services.changes_since_request(use_case) is None
    services.use_case_request_changes(use_case=use_case, moderator=mod, message="Des chiffres ?")
    UseCase.objects.filter(pk=use_case.pk).update(results="Douze fuites trouvées.")
    use_case.refresh_from_db()
    since = services.changes_since_request(use_case)
    assert since["event"].message == "Des chiffres ?"
    assert [(c.label, c.before, c.after) for c in since["changes"]] == [
        ("Résultats et impacts", "", "Douze fuites trouvées.")
    ]


def test_a_direct_edit_is_recorded_with_its_fields_and_notified_on_request(
    author, mod, django_capture_on_commit_callbacks
):
    use_case = UseCaseFactory(author=author, published=True)
    assert services.use_case_record_edit(use_case=use_case, moderator=mod, fields=[]) is None
    with django_capture_on_commit_callbacks(execute=True):
        event = services.use_case_record_edit(
            use_case=use_case, moderator=mod, fields=["title", "need"], notify=False
        )
    assert event.is_edit and event.changed_fields == ["title", "need"]
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.use_case_record_edit(
            use_case=use_case,
            moderator=mod,
            fields=["results"],
            message="Coquille corrigée.",
            notify=True,
        )
    assert mail.outbox[0].to == [author.email]
    assert "Coquille corrigée." in mail.outbox[0].body
    assert "Résultats et impacts" in mail.outbox[0].body
