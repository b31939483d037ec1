"""Attack cases of standards.md §4.4 that concern accounts, contributions and uploads."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.contribution.test_resources import PDF
from tests.factories import CollectiviteFactory, ResourceFactory, UseCaseFactory, UserFactory
from usecases import services
from usecases.models import Resource

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Camille",
    "last_name": "Martin",
    "email": "camille@ville-exemple.fr",
    "collectivite_query": "Rennes",
}


@pytest.mark.parametrize(
    "url", ["JaVaScRiPt:alert(1)", " javascript:alert(1)", "//evil.tld/x", "data:text/html,<b>"]
)
def test_t02_resource_urls_other_than_https_are_refused(author_client, draft, url):
    response = author_client.post(
        reverse("usecases:resources", args=[draft.pk]),
        {"title": "Lien", "kind": "article", "url": url},
    )
    assert response.status_code == 400
    assert "https://" in response.content.decode()
    assert not Resource.objects.exists()


def test_t07_contributors_cannot_moderate(client, author, draft):
    """Moderation lives in the admin, which sends non-staff users away."""
    client.force_login(author)
    for url in (
        reverse("admin:usecases_submission_changelist"),
        reverse("admin:usecases_submission_change", args=[draft.pk]),
        reverse("admin:usecases_usecase_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    response = client.post(
        reverse("admin:usecases_submission_change", args=[draft.pk]), {"decision": "publish"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_t11_session_changes_at_login_and_dies_at_logout(client, settings):
    UserFactory(username="agent@example.org")
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    client.post(
        reverse("account_login"),
        {"login": "agent@example.org", "password": "mot-de-passe-solide-42"},
    )
    after = client.session.session_key
    assert after and after != before
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = client.get(reverse("usecases:my_contributions"))
    assert response.status_code == 302  # the old session no longer authenticates


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("password123", False),
        ("bibliotheque-ia", False),
        ("Onze-carac1", False),
        ("une phrase de passe", True),
        ("🦊" * 12 + "-renard-rusé", True),
        ("x7" * 100, True),
    ],
)
def test_t12_password_policy(client, password, accepted):
    """Common, short or contextual passwords are refused; long ones of any characters pass."""
    CollectiviteFactory(name="Rennes", code="35238")
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "password1": password, "password2": password}
    )
    assert get_user_model().objects.exists() is accepted, response.content.decode()[-3000:]


@pytest.mark.parametrize("name", ["evil.php", "evil.pdf.html", "evil.svg", "evil.js"])
def test_t13_executable_and_script_uploads_are_refused(author_client, draft, name):
    response = author_client.post(
        reverse("usecases:resources", args=[draft.pk]),
        {"title": "Fichier", "kind": "document", "file": SimpleUploadedFile(name, PDF)},
    )
    assert response.status_code == 400
    assert not Resource.objects.exists()


def test_t13_too_many_files_in_one_request_is_a_400(author_client, draft):
    files = {f"file{n}": SimpleUploadedFile(f"a{n}.pdf", PDF) for n in range(101)}
    response = author_client.post(
        reverse("usecases:resources", args=[draft.pk]), {"title": "x", "kind": "document", **files}
    )
    assert response.status_code == 400
    assert not Resource.objects.exists()


def test_t13_t14_download_headers(client):
    use_case = UseCaseFactory(published=True)
    resource = ResourceFactory(
        use_case=use_case,
        title='Cahier "des charges"\r\nX-Injected: 1',
        url="",
        file=SimpleUploadedFile("a.pdf", PDF),
    )
    response = client.get(reverse("usecases:resource_download", args=[resource.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and "X-Injected" not in response


def test_t24_email_header_injection_through_a_title(
    author, mod, django_capture_on_commit_callbacks
):
    use_case = UseCaseFactory(
        author=author,
        status="submitted",
        title="Titre\r\nBcc: victime@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.use_case_publish(use_case=use_case, moderator=mod)
    message = mail.outbox[0]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == []
    assert message.to == [author.email]


def test_t25_email_case_variants_are_one_account(client):
    CollectiviteFactory(name="Rennes", code="35238")
    UserFactory(username="camille@ville-exemple.fr")
    client.post(
        reverse("account_signup"),
        {
            **SIGNUP,
            "email": "Camille@Ville-Exemple.FR",
            "password1": "une phrase de passe",
            "password2": "une phrase de passe",
        },
    )
    assert get_user_model().objects.filter(email__iexact="camille@ville-exemple.fr").count() == 1
