"""« Contacter l’équipe »: relayed by e-mail, address never shown, limits, robots, retention."""

import datetime
import time

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UseCaseFactory, contributor
from usecases.mutualisation.models import ContactMessage

pytestmark = pytest.mark.django_db


def started(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago)


def message(**extra):
    return {
        "name": "Camille Durand",
        "organisation": "Mairie de Muret",
        "email": "camille.durand@mairie-muret.fr",
        "message": "Bonjour, quel a été le coût de la première année ?",
        "started": started(),
        **extra,
    }


@pytest.fixture
def team():
    return contributor(email="equipe.eau@sicoval.fr", username="equipe.eau@sicoval.fr")


@pytest.fixture
def case(team):
    return UseCaseFactory(published=True, author=team, title="Détecter les fuites")


def url(use_case):
    return reverse("reuse:contact", args=[use_case.slug])


def test_the_team_address_is_never_shown(client, case):
    for page in (case.get_absolute_url(), url(case)):
        content = client.get(page).content.decode()
        assert "equipe.eau@sicoval.fr" not in content
    assert url(case) in client.get(case.get_absolute_url()).content.decode()


def test_message_is_relayed_with_reply_to_and_a_copy(
    client, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(case), message())
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    relayed, copy = mail.outbox
    assert relayed.to == ["equipe.eau@sicoval.fr"]
    assert relayed.reply_to == ["camille.durand@mairie-muret.fr"]
    assert "quel a été le coût" in relayed.body
    assert "http://testserver" in relayed.body or case.get_absolute_url() in relayed.body
    assert copy.to == ["camille.durand@mairie-muret.fr"]
    assert "equipe.eau@sicoval.fr" not in copy.body + copy.subject + str(copy.message())
    assert case.get_absolute_url() in copy.body
    assert ContactMessage.objects.get().recipient == "contributor"


def test_without_contributor_account_it_goes_to_the_moderators(
    client, mod, django_capture_on_commit_callbacks
):
    orphan = UseCaseFactory(published=True, author=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(orphan), message())
    assert mail.outbox[0].to == [mod.email]
    assert ContactMessage.objects.get().recipient == "moderators"


@pytest.mark.parametrize("field", ["name", "organisation"])
def test_header_injection_through_names_is_refused(client, case, field):
    response = client.post(url(case), message(**{field: "Eve\r\nBcc: victime@example.org"}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not mail.outbox


def test_html_is_kept_as_text_in_emails_and_escaped_in_pages(
    client, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(case), message(name="<b>Eve</b>", message="<script>alert(1)</script>"))
    relayed = mail.outbox[0]
    assert relayed.content_subtype == "plain" and not getattr(relayed, "alternatives", None)
    assert "<script>alert(1)</script>" in relayed.body  # plain text: shown, never run
    assert "\n" not in relayed.subject and "<b>Eve</b>" in relayed.subject
    invalid = client.post(url(case), message(email="pas-une-adresse", message="<i>x</i>"))
    assert invalid.status_code == 400
    assert "&lt;i&gt;x&lt;/i&gt;" in invalid.content.decode()


@pytest.mark.parametrize("extra", [{"website": "https://spam.example"}, {"started": "faux"}])
def test_robots_are_turned_away(client, case, extra):
    assert client.post(url(case), message(**extra)).status_code == 400
    assert not ContactMessage.objects.exists()


def test_too_fast_is_refused(client, case):
    response = client.post(url(case), message(started=started(0)))
    assert response.status_code == 400
    assert "trop rapide" in response.content.decode()


def test_limited_per_client(client, case, settings):
    settings.CONTACT_RATE_PER_CLIENT = "2/h"
    codes = [client.post(url(case), message()).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert "réessayez plus tard" in client.post(url(case), message()).content.decode()
    assert ContactMessage.objects.count() == 2


def test_limited_per_sheet_whatever_the_client(client, case, settings):
    settings.CONTACT_RATE_PER_SHEET = "2/d"
    codes = [
        client.post(url(case), message(), REMOTE_ADDR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    other = UseCaseFactory(published=True)
    assert client.post(url(other), message(), REMOTE_ADDR="203.0.113.9").status_code == 302


def test_limited_per_client_behind_the_proxy(case, settings):
    """Behind the documented proxy (docs/deploiement.md), the client is the address it saw:
    a forged X-Forwarded-For prefix does not reset the count, another client is not limited."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CONTACT_RATE_PER_CLIENT = "2/h"

    def through_proxy(address):
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)

    alice = through_proxy("198.51.100.7")
    assert [alice.post(url(case), message()).status_code for _ in range(2)] == [302, 302]
    response = through_proxy("10.1.1.1, 198.51.100.7").post(url(case), message())
    assert response.status_code == 429
    assert "Trop de messages envoyés depuis votre connexion" in response.content.decode()
    assert through_proxy("203.0.113.9").post(url(case), message()).status_code == 302


def test_invalid_messages_do_not_use_up_the_limit(client, case, settings):
    settings.CONTACT_RATE_PER_CLIENT = "2/h"
    for _ in range(5):
        assert client.post(url(case), message(email="pas-une-adresse")).status_code == 400
    assert [client.post(url(case), message()).status_code for _ in range(3)] == [302, 302, 429]


def test_unpublished_sheets_have_no_contact_form(client):
    draft = UseCaseFactory(status="draft")
    assert client.get(url(draft)).status_code == 404
    assert client.post(url(draft), message()).status_code == 404


def test_retention_command_purges_old_messages(case):
    old = ContactMessage.objects.create(
        use_case=case,
        name="A",
        organisation="B",
        email="a@b.fr",
        message="x",
        recipient="contributor",
    )
    ContactMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    recent = ContactMessage.objects.create(
        use_case=case,
        name="A",
        organisation="B",
        email="a@b.fr",
        message="y",
        recipient="contributor",
    )
    call_command("purge_accounts", stdout=__import__("io").StringIO())
    assert list(ContactMessage.objects.all()) == [recent]


def test_privacy_page_states_the_retention(client, settings):
    content = client.get(reverse("privacy")).content.decode()
    assert f"{settings.CONTACT_RETENTION_DAYS} jours" in content
    assert "Contacter l’équipe" in content


def test_contact_page_queries_are_bounded(client, case, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert client.get(url(case)).status_code == 200
