"""Review dates: the information date, the 12-month reminder, « Toujours à jour », 18 months."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from bibliotheque.typography import NNBSP
from reviews import services
from reviews.models import ReviewConfirmation, ReviewReminder
from tests.factories import UseCaseFactory, contributor, moderator
from usecases.models import ModerationEvent, UseCase
from usecases.services import use_case_publish

PARIS = ZoneInfo("Europe/Paris")
PUBLISHED = datetime(2025, 3, 10, 9, 0, tzinfo=PARIS)


def at(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def sheet(db):
    author = contributor(username="auteur@example.org")
    return UseCaseFactory(published=True, published_at=PUBLISHED, author=author)


def confirm_path(message):
    match = re.search(r"https?://[^/\s]+(/contribuer/\d+/toujours-a-jour/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def remind(now):
    with time_machine.travel(now, tick=False):
        call_command("send_review_reminders", verbosity=0)


class TestInformationDate:
    def test_sheet_shows_its_information_date(self, client, sheet):
        page = client.get(sheet.get_absolute_url()).content.decode()
        assert 'Informations à jour au <time datetime="2025-03-10">10 mars 2025</time>' in page

    def test_the_first_of_the_month_is_an_ordinal_on_the_sheet_and_in_the_reminder(
        self, client, db
    ):
        sheet = UseCaseFactory(
            published=True, published_at=at(2025, 12, 1, 9), author=contributor(), title="Crues"
        )
        page = client.get(sheet.get_absolute_url()).content.decode()
        assert '<time datetime="2025-12-01">1er décembre 2025</time>' in page
        remind(at(2026, 12, 2))
        [message] = mail.outbox
        assert "datent du 1er décembre 2025, il y a plus de 12 mois." in message.body
        assert message.subject.endswith(
            f"Votre fiche «{NNBSP}Crues{NNBSP}» est-elle toujours à jour{NNBSP}?"
        )

    def test_publication_dates_the_information(self, db):
        use_case = UseCaseFactory(status="submitted")
        with time_machine.travel(at(2026, 1, 5, 10), tick=False):
            use_case_publish(use_case=use_case, moderator=moderator())
        assert use_case.reviewed_at == at(2026, 1, 5, 10)
        assert use_case.information_date == at(2026, 1, 5, 10)

    @pytest.mark.parametrize(
        ("now", "stale"),
        [(at(2026, 9, 10, 8, 59), False), (at(2026, 9, 10, 9, 1), True)],
    )
    def test_after_eighteen_months_the_sheet_says_it_may_be_out_of_date(
        self, client, sheet, now, stale
    ):
        with time_machine.travel(now, tick=False):
            page = client.get(sheet.get_absolute_url()).content.decode()
        assert ("peuvent ne plus être à jour" in page) is stale


class TestReminders:
    def test_sent_once_to_the_contributor_at_twelve_months(self, sheet):
        remind(at(2026, 3, 10, 8, 59))
        assert not mail.outbox
        for _run in range(2):  # run twice: sends nothing twice
            remind(at(2026, 3, 10, 9, 1))
        [message] = mail.outbox
        assert message.to == ["auteur@example.org"]
        assert sheet.title in message.subject
        assert "10 mars 2025" in message.body
        assert f"/contribuer/{sheet.pk}/mise-a-jour/" in message.body
        assert confirm_path(message).startswith(f"/contribuer/{sheet.pk}/toujours-a-jour/")
        reminder = ReviewReminder.objects.get()
        assert (reminder.information_date, reminder.recipient_count) == (PUBLISHED, 1)
        # The next days: still nothing more.
        remind(at(2026, 4, 10, 9, 0))
        assert len(mail.outbox) == 1

    @pytest.mark.parametrize("gone", ["deleted", "inactive"])
    def test_moderators_are_reminded_when_the_account_is_gone(self, sheet, gone):
        moderator(username="moderatrice@example.org")
        if gone == "deleted":
            sheet.author.delete()
        else:
            type(sheet.author).objects.filter(pk=sheet.author.pk).update(is_active=False)
        remind(at(2026, 3, 11))
        [message] = mail.outbox
        assert message.to == ["moderatrice@example.org"]
        assert "n’existe plus" in message.body
        assert ReviewReminder.objects.get().to_moderators

    def test_unpublished_sheets_are_not_reminded(self, db):
        UseCaseFactory(status="archived", published_at=PUBLISHED, author=contributor())
        remind(at(2026, 6, 1))
        assert not mail.outbox


class TestConfirmation:
    def remind_and_get_link(self):
        remind(at(2026, 3, 11, 7, 30))
        return confirm_path(mail.outbox[-1])

    def test_contributor_confirms_in_one_click_after_login(self, client, sheet):
        path = self.remind_and_get_link()
        with time_machine.travel(at(2026, 3, 12, 10), tick=False):
            response = client.get(path)
            assert response.status_code == 302 and "/compte/login/" in response["Location"]
            client.force_login(sheet.author)
            page = client.get(path)
            assert page.status_code == 200 and "Toujours à jour" in page.content.decode()
            response = client.post(path)
        assert response.status_code == 302 and response["Location"] == sheet.get_absolute_url()
        sheet.refresh_from_db()
        assert sheet.reviewed_at == at(2026, 3, 12, 10)
        confirmation = ReviewConfirmation.objects.get()
        assert confirmation.confirmed_by == sheet.author
        event = ModerationEvent.objects.get(use_case=sheet)
        assert (event.from_status, event.to_status) == ("published", "published")
        assert "Toujours à jour" in event.message
        page = client.get(sheet.get_absolute_url()).content.decode()
        assert 'Informations à jour au <time datetime="2026-03-12">' in page

    def test_link_is_single_use(self, client, sheet):
        path = self.remind_and_get_link()
        client.force_login(sheet.author)
        with time_machine.travel(at(2026, 3, 12, 10), tick=False):
            assert client.post(path).status_code == 302
            assert client.get(path).status_code == 410
            assert client.post(path).status_code == 410
        assert ReviewConfirmation.objects.count() == 1

    def test_link_expires(self, client, sheet):
        path = self.remind_and_get_link()
        client.force_login(sheet.author)
        sent = at(2026, 3, 11, 7, 30).astimezone(UTC)
        with time_machine.travel(sent + timedelta(days=90, minutes=-1)):
            assert client.get(path).status_code == 200
        with time_machine.travel(sent + timedelta(days=90, minutes=1)):
            assert client.post(path).status_code == 410
        sheet.refresh_from_db()
        assert sheet.reviewed_at is None

    def test_only_the_contributor_or_a_moderator(self, client, sheet):
        path = self.remind_and_get_link()
        with time_machine.travel(at(2026, 3, 12, 10), tick=False):
            client.force_login(contributor())
            assert client.get(path).status_code == 404
            assert client.post(path).status_code == 404
            client.force_login(moderator())
            assert client.post(path).status_code == 302

    def test_a_forged_or_foreign_token_is_refused(self, client, sheet):
        other = UseCaseFactory(published=True, published_at=PUBLISHED, author=sheet.author)
        client.force_login(sheet.author)
        token = services.make_token(other)
        url = reverse("reviews:confirm", kwargs={"pk": sheet.pk, "token": token})
        assert client.post(url).status_code == 410
        url = reverse("reviews:confirm", kwargs={"pk": sheet.pk, "token": "abc:def:ghi"})
        assert client.post(url).status_code == 410

    def test_a_confirmed_sheet_is_reminded_again_twelve_months_later(self, client, sheet):
        path = self.remind_and_get_link()
        client.force_login(sheet.author)
        with time_machine.travel(at(2026, 3, 12, 10), tick=False):
            client.post(path)
        remind(at(2027, 3, 12, 9))
        assert len(mail.outbox) == 1
        remind(at(2027, 3, 12, 11))
        remind(at(2027, 3, 13, 11))
        assert len(mail.outbox) == 2


class TestAdminQueue:
    @pytest.fixture
    def admin_client(self, client, db):
        client.force_login(moderator(username="moderatrice@example.org"))
        return client

    def test_oldest_first_and_bulk_remind(self, admin_client, sheet):
        older = UseCaseFactory(
            published=True, published_at=at(2024, 1, 1), author=contributor(), title="Plus ancienne"
        )
        UseCaseFactory(published=True, published_at=at(2026, 1, 1), title="Récente")
        url = reverse("admin:reviews_sheettorefresh_changelist")
        with time_machine.travel(at(2026, 6, 1), tick=False):
            page = admin_client.get(url).content.decode()
            assert page.index("Plus ancienne") < page.index(sheet.title)
            assert "Récente" not in page
            remind(at(2026, 6, 1))
            assert len(mail.outbox) == 2
            response = admin_client.post(
                url,
                {"action": "remind", "_selected_action": [older.pk, sheet.pk]},
            )
        assert response.status_code == 302
        assert len(mail.outbox) == 4
        assert ReviewReminder.objects.filter(manual=True).count() == 2

    def test_queue_queries_are_bounded(self, admin_client, django_assert_max_num_queries):
        for n in range(5):
            UseCaseFactory(published=True, published_at=at(2024, 1, n + 1), author=contributor())
        with django_assert_max_num_queries(12):
            assert (
                admin_client.get(reverse("admin:reviews_sheettorefresh_changelist")).status_code
                == 200
            )


def test_information_date_survives_the_sheet_queries(client, sheet, django_assert_max_num_queries):
    """The date and the 18-month notice read the sheet row: no extra query."""
    UseCase.objects.filter(pk=sheet.pk).update(reviewed_at=at(2025, 6, 1))
    with django_assert_max_num_queries(12):
        client.get(sheet.get_absolute_url())
