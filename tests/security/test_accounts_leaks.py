"""Sign-up telling nothing by timing or cookies; e-mail links on SITE_URL (docs/securite.md)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import CollectiviteFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Camille",
    "last_name": "Martin",
    "password1": "une-phrase-de-passe-solide",
    "password2": "une-phrase-de-passe-solide",
    "collectivite_query": "Rennes",
}
HASHED = []


class CountingHasher(MD5PasswordHasher):
    """Records each hashing: the slow step whose absence gave existing accounts away."""

    def encode(self, password, salt):
        HASHED.append(password)
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    HASHED.clear()
    return HASHED


def sign_up(email):
    client = Client()
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
    return client, response


def test_signing_up_with_an_existing_address_hashes_the_password_as_a_new_one(counting_hasher):
    CollectiviteFactory(name="Rennes", code="35238")
    UserFactory(username="deja@ville-exemple.fr")
    counting_hasher.clear()
    sign_up("nouvelle@ville-exemple.fr")
    new_account = len(counting_hasher)
    counting_hasher.clear()
    sign_up("deja@ville-exemple.fr")
    assert new_account == len(counting_hasher) == 1


def visible_outcome(client, response):
    """All a visitor sees: status, redirect, cookie names and the next page's messages."""
    page = client.get(response["Location"]).content.decode()
    messages = re.findall(r'class="[^"]*message[^"]*"[^>]*>(.*?)<', page, flags=re.S)
    return response.status_code, response["Location"], sorted(response.cookies), messages


def test_sign_up_answers_alike_for_new_verified_and_unverified_addresses():
    CollectiviteFactory(name="Rennes", code="35238")
    UserFactory(username="verifiee@ville-exemple.fr")
    unverified = UserFactory(username="non-verifiee@ville-exemple.fr")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    outcomes = [
        visible_outcome(*sign_up(email))
        for email in (
            "nouvelle@ville-exemple.fr",
            "verifiee@ville-exemple.fr",
            "non-verifiee@ville-exemple.fr",
        )
    ]
    assert outcomes[0] == outcomes[1] == outcomes[2]


@pytest.mark.parametrize("host", ["127.0.0.1:1337", "localhost:8443"])
def test_password_reset_links_use_the_site_url_whatever_the_host(settings, host):
    settings.SITE_URL = "https://bibliotheque.example.org"
    UserFactory(username="agente@example.org")
    Client(HTTP_HOST=host).post(reverse("account_reset_password"), {"email": "agente@example.org"})
    (message,) = mail.outbox
    links = re.findall(r"https?://[^\s/]+", message.body)
    assert links
    assert set(links) == {"https://bibliotheque.example.org"}
    assert host not in message.body


def test_confirmation_and_known_account_mails_use_the_site_url(settings):
    settings.SITE_URL = "https://bibliotheque.example.org"
    CollectiviteFactory(name="Rennes", code="35238")
    UserFactory(username="deja@ville-exemple.fr")
    for email in ("nouvelle@ville-exemple.fr", "deja@ville-exemple.fr"):
        Client(HTTP_HOST="127.0.0.1:1337").post(
            reverse("account_signup"), {**SIGNUP, "email": email}
        )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "1337" not in message.body
        assert set(re.findall(r"https?://[^\s/]+", message.body)) == {
            "https://bibliotheque.example.org"
        }
