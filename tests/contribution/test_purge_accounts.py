import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UseCaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_retention_rules_of_the_privacy_page():
    """Unconfirmed after 7 days and unused after 2 years are deleted; sheets stay online."""
    fresh_unconfirmed = UserFactory(username="recent@example.org", date_joined=days_ago(2))
    old_unconfirmed = UserFactory(username="ancien@example.org", date_joined=days_ago(8))
    EmailAddress.objects.filter(user__in=[fresh_unconfirmed, old_unconfirmed]).update(
        verified=False
    )
    active = UserFactory(username="actif@example.org", last_login=days_ago(30))
    dormant = UserFactory(
        username="dormant@example.org", date_joined=days_ago(900), last_login=days_ago(800)
    )
    staff = UserFactory(username="moderation@example.org", last_login=days_ago(800), is_staff=True)
    sheet = UseCaseFactory(author=dormant, published=True)

    call_command("purge_accounts", "--dry-run")
    assert get_user_model().objects.count() == 5

    call_command("purge_accounts")
    remaining = set(get_user_model().objects.values_list("username", flat=True))
    assert remaining == {fresh_unconfirmed.username, active.username, staff.username}
    sheet.refresh_from_db()
    assert sheet.author is None and sheet.is_published
