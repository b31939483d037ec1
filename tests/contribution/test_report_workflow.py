"""Error reports as a small workflow: list with the message, a note, a reply to the reporter,
a forward to the contributor, Reply-To headers, states « nouveau / en cours / traité »."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UseCaseFactory
from usecases import emails
from usecases.models import ErrorReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(mod):
    client = Client()
    client.force_login(mod)
    return client


@pytest.fixture
def report(author):
    sheet = UseCaseFactory(author=author, published=True, title="Prévoir les crues")
    return ErrorReport.objects.create(
        use_case=sheet,
        message="Le lien vers la délibération\nne répond plus.",
        email="lectrice@exemple.fr",
    )


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_moderators_can_reply_to_the_reporter_straight_from_the_email(mod, report):
    emails.notify_error_report(report)
    (message,) = mail.outbox
    assert message.to == [mod.email]
    assert message.reply_to == ["lectrice@exemple.fr"]
    assert report.use_case.get_absolute_url() in message.body


def test_the_list_shows_the_message_and_hides_handled_reports(mod_client, report):
    ErrorReport.objects.create(use_case=report.use_case, message="Réglé.", state="handled")
    response = mod_client.get(reverse("admin:usecases_errorreport_changelist"))
    assert list(response.context["cl"].result_list) == [report]
    page = text(response)
    assert "Le lien vers la délibération ne répond plus." in page
    assert f'href="{report.use_case.get_absolute_url()}"' in page
    everything = mod_client.get(reverse("admin:usecases_errorreport_changelist"), {"etat": "tous"})
    assert len(everything.context["cl"].result_list) == 2


def test_note_reply_forward_and_states(
    mod_client, mod, author, report, settings, django_capture_on_commit_callbacks
):
    settings.SITE_CONTACT_EMAIL = "contact@bibliotheque.example"
    url = reverse("admin:usecases_errorreport_change", args=[report.pk])
    page = text(mod_client.get(url))
    assert "Le lien vers la délibération<br>ne répond plus." in page
    assert f'href="{report.use_case.get_absolute_url()}"' in page

    empty = mod_client.post(url, {"action": "reply", "reponse-message": ""})
    assert empty.status_code == 400 and "Écrivez le message" in text(empty)

    with django_capture_on_commit_callbacks(execute=True):
        mod_client.post(
            url, {"action": "reply", "reponse-message": "Merci, nous corrigeons le lien."}
        )
    reply = mail.outbox[-1]
    assert reply.to == ["lectrice@exemple.fr"]
    assert reply.reply_to == ["contact@bibliotheque.example"]
    assert "Merci, nous corrigeons le lien." in reply.body
    assert "ne répond plus." in reply.body
    report.refresh_from_db()
    assert report.state == "in_progress"
    assert "Réponse envoyée : Merci, nous corrigeons le lien." in report.internal_note

    with django_capture_on_commit_callbacks(execute=True):
        mod_client.post(
            url,
            {"action": "forward", "transmettre-message": "Pouvez-vous remettre le document ?"},
        )
    forward = mail.outbox[-1]
    assert forward.to == [author.email]
    assert "Pouvez-vous remettre le document ?" in forward.body
    assert "lectrice@exemple.fr" not in forward.body
    assert reverse("usecases:revision", args=[report.use_case.pk]) in forward.body

    note = report.internal_note if False else ErrorReport.objects.get().internal_note
    mod_client.post(
        url, {"action": "save", "state": "handled", "internal_note": note + "\nLien corrigé."}
    )
    report.refresh_from_db()
    assert report.state == "handled" and report.internal_note.endswith("Lien corrigé.")
    assert report.internal_note.count("[") == 2  # the two dated lines


def test_a_report_without_address_offers_no_reply(mod_client, report):
    report.email = ""
    report.save()
    url = reverse("admin:usecases_errorreport_change", args=[report.pk])
    assert "Répondre à la personne" not in text(mod_client.get(url))
    refused = mod_client.post(url, {"action": "reply", "reponse-message": "Bonjour"})
    assert "impossible de répondre" in text(refused)
    assert mail.outbox == []
