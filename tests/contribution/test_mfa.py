import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import moderator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _require_mfa(settings):
    settings.ADMIN_REQUIRE_MFA = True


def test_moderator_without_second_factor_is_sent_to_set_one_up(client):
    client.force_login(moderator())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_moderator_with_an_authenticator_app_reaches_the_admin(client):
    user = moderator()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_admin_login_goes_through_allauth(client):
    """The admin's password-only form is replaced by the login with rate limits and MFA."""
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_contributors_are_not_concerned(client):
    from tests.factories import contributor

    client.force_login(contributor())
    assert client.get(reverse("usecases:my_contributions")).status_code == 200
