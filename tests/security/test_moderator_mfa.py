"""Every moderator right needs the second factor, not only the admin's URL prefix."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import ResourceFactory, UseCaseFactory, contributor, moderator
from usecases.permissions import is_moderator

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _require_mfa(settings):
    settings.ADMIN_REQUIRE_MFA = True


@pytest.fixture
def submitted():
    author = contributor()
    return UseCaseFactory(
        author=author, collectivite=author.contributor_profile.collectivite, status="submitted"
    )


def with_authenticator(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_a_moderator_without_second_factor_has_no_moderator_right():
    assert not is_moderator(moderator())
    assert is_moderator(with_authenticator(moderator(username="totp@example.org")))


def test_previews_of_others_cases_need_the_second_factor(client, submitted):
    url = reverse("usecases:preview", args=[submitted.pk])
    client.force_login(moderator())
    assert client.get(url).status_code == 404
    client.force_login(with_authenticator(moderator(username="totp@example.org")))
    assert client.get(url).status_code == 200


def test_private_documents_need_the_second_factor(client, submitted):
    resource = ResourceFactory(use_case=submitted, url="", file=SimpleUploadedFile("a.pdf", PDF))
    url = reverse("usecases:resource_download", args=[resource.pk])
    client.force_login(moderator())
    assert client.get(url).status_code == 404
    client.force_login(with_authenticator(moderator(username="totp@example.org")))
    assert client.get(url).status_code == 200


def test_the_admin_refuses_staff_without_second_factor_whatever_the_url():
    """The admin site itself checks, so a view mounted elsewhere is guarded too."""
    request = RequestFactory().get("/")
    request.user = moderator()
    assert not admin.site.has_permission(request)
    request.user = with_authenticator(moderator(username="totp@example.org"))
    assert admin.site.has_permission(request)


def test_a_decision_posted_without_second_factor_changes_nothing(client, submitted):
    client.force_login(moderator())
    url = reverse("admin:usecases_usecase_change", args=[submitted.pk])
    response = client.post(url, {"title": "Titre changé"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.title != "Titre changé"
    assert submitted.status == "submitted"


def test_the_setting_can_be_turned_off_for_development(settings):
    settings.ADMIN_REQUIRE_MFA = False
    assert is_moderator(moderator())
