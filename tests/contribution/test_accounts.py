import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.models import ContributorProfile
from tests.factories import CollectiviteFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Camille",
    "last_name": "Martin",
    "email": "camille.martin@ville-exemple.fr",
    "password1": "une-phrase-de-passe-solide",
    "password2": "une-phrase-de-passe-solide",
}


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/compte/[^\s]+)", message.body).group(1)


def test_signup_sends_a_verification_email_and_needs_it_to_log_in(client):
    """Sign-up asks the collectivité; the account works only once the e-mail is verified."""
    rennes = CollectiviteFactory(name="Rennes", code="35238", population=220000)
    response = client.post(reverse("account_signup"), {**SIGNUP, "collectivite_query": "Rennes"})
    assert response.status_code == 302
    user = get_user_model().objects.get(email=SIGNUP["email"])
    assert user.contributor_profile.collectivite == rennes
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Bibliothèque d’IA territoriales] Confirmez votre adresse e-mail"
    # In the site's own voice: not allauth's « Bonjour, c’est 127.0.0.1:8000 ! ».
    assert message.body.startswith("Bonjour,\n\nCette adresse vient d’être indiquée")
    assert "/compte/confirm-email/" in message.body
    assert message.body.rstrip().endswith("— La Bibliothèque d’IA territoriales")
    assert "testserver" not in message.body.split("http")[0]

    client.logout()
    login = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("usecases:create")).status_code == 302

    client.get(confirmation_link(mail.outbox[-1]))
    confirm = client.post(confirmation_link(mail.outbox[-1]))
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("usecases:create")).status_code == 200


def test_signup_offers_candidates_when_the_collectivite_is_ambiguous(client):
    """Without JavaScript, an ambiguous name brings back a choice between the candidates."""
    first = CollectiviteFactory(name="Saint-Martin", code="05157", population=500)
    CollectiviteFactory(name="Saint-Martin", code="32397", population=300)
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "collectivite_query": "Saint-Martin"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Plusieurs collectivités correspondent" in content
    assert 'type="radio" name="collectivite"' in content
    assert 'value="camille.martin@ville-exemple.fr"' in content  # what was typed is kept
    chosen = client.post(
        reverse("account_signup"),
        {**SIGNUP, "collectivite_query": "Saint-Martin", "collectivite": first.slug},
    )
    assert chosen.status_code == 302
    assert ContributorProfile.objects.get().collectivite == first


def test_signup_with_unknown_collectivite_is_refused(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "collectivite_query": "Atlantide"})
    assert response.status_code == 200
    assert "Aucune collectivité ne correspond" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_signup_does_not_reveal_existing_accounts(client):
    """Signing up with a known address looks the same as a new one (no enumeration)."""
    CollectiviteFactory(name="Rennes", code="35238")
    UserFactory(username=SIGNUP["email"])
    response = client.post(reverse("account_signup"), {**SIGNUP, "collectivite_query": "Rennes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert get_user_model().objects.filter(email=SIGNUP["email"]).count() == 1


def test_password_reset_does_not_reveal_unknown_addresses(client):
    UserFactory(username="connu@example.org")
    known = client.post(reverse("account_reset_password"), {"email": "connu@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "inconnu@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_password_reset_sends_a_link(client):
    UserFactory(username="connu@example.org")
    client.post(reverse("account_reset_password"), {"email": "connu@example.org"})
    assert len(mail.outbox) == 1
    assert "/compte/password/reset/key/" in mail.outbox[0].body


def test_login_is_throttled_after_repeated_failures(client):
    """After repeated failures, even the right password is refused for a while."""
    UserFactory(username="cible@example.org")
    for _ in range(6):
        client.post(reverse("account_login"), {"login": "cible@example.org", "password": "faux"})
    response = client.post(
        reverse("account_login"),
        {"login": "cible@example.org", "password": "mot-de-passe-solide-42"},
    )
    assert response.status_code == 200
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_next_parameter_stays_on_site(client):
    UserFactory(username="agent@example.org")
    response = client.post(
        reverse("account_login") + "?next=https://evil.example/",
        {"login": "agent@example.org", "password": "mot-de-passe-solide-42"},
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_delete_account_keeps_published_sheets(client):
    from tests.factories import UseCaseFactory, contributor

    user = contributor()
    use_case = UseCaseFactory(
        published=True, author=user, collectivite=user.contributor_profile.collectivite
    )
    client.force_login(user)
    wrong = client.post(reverse("accounts:delete_account"), {"password": "faux"})
    assert wrong.status_code == 400
    response = client.post(
        reverse("accounts:delete_account"), {"password": "mot-de-passe-solide-42"}
    )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    use_case.refresh_from_db()
    assert use_case.author is None and use_case.is_published
    assert client.get(use_case.get_absolute_url()).status_code == 200


def test_change_email_requires_verification(client):
    """A new address is added unverified and gets its own confirmation e-mail."""
    from tests.factories import contributor

    user = contributor()
    client.force_login(user)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "nouvelle@example.org"}
    )
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="nouvelle@example.org")
    assert not address.verified
    assert any("nouvelle@example.org" in message.to for message in mail.outbox)


def test_signup_fields_declare_their_purpose(client):
    """RGAA 11.13 / WCAG 1.3.5: the browser can fill in the person's own details."""
    content = client.get(reverse("account_signup")).content.decode()
    for name, purpose in (
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("email", "email"),
        ("collectivite_query", "organization"),
    ):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', content).group(0)
        assert f'autocomplete="{purpose}"' in field, field


def test_signup_error_summary_counts_messages_not_fields(client):
    """An empty form: the summary's heading gives as many errors as it lists."""
    response = client.post(reverse("account_signup"), {"email": "pas-une-adresse"})
    content = response.content.decode()
    summary = content[content.index('id="resume-erreurs"') :]
    summary = summary[: summary.index("</div>")]
    listed = summary.count("<li>")
    assert listed >= 5
    assert f"Le formulaire contient {listed} erreurs" in summary


def test_signup_errors_read_right(client):
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "email": "pas-une-adresse", "collectivite_query": ""}
    )
    content = response.content.decode()
    assert "Aucune collectivité ne correspond" not in content
    assert "Saisissez une adresse e-mail valide, par exemple « prenom.nom@mairie-exemple.fr »." in (
        content
    )
