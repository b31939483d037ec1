"""Review dates: reminder e-mails with a « Toujours à jour » link, and the confirmation.

The link carries a signed token scoped to the sheet and to its information date: it expires
after CONFIRMATION_LINK_DAYS and is spent once the sheet is confirmed or updated (its
information date then changes). Only the sheet's contributor or a moderator may use it.
"""

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from usecases.choices import Status
from usecases.models import ModerationEvent, UseCase
from usecases.pagecache import bump_catalogue_version
from usecases.permissions import is_moderator

from . import emails, rules
from .models import ReviewConfirmation, ReviewReminder

TOKEN_SALT = "reviews.still-current"


class InvalidLink(Exception):
    """A « Toujours à jour » link that is forged, expired, or already used."""


def make_token(use_case):
    return signing.dumps(
        [use_case.pk, use_case.information_date.timestamp()], salt=TOKEN_SALT, compress=True
    )


def check_token(use_case, token):
    """Raise InvalidLink unless `token` was made for this sheet at its current information date."""
    try:
        pk, timestamp = signing.loads(
            token, salt=TOKEN_SALT, max_age=rules.link_lifetime().total_seconds()
        )
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidLink from error
    if pk != use_case.pk or timestamp != use_case.information_date.timestamp():
        raise InvalidLink


def may_confirm(user, use_case):
    """The sheet's contributor or a moderator."""
    return user.is_authenticated and (use_case.author_id == user.pk or is_moderator(user))


def confirm_still_current(*, use_case, by, now=None):
    """« Toujours à jour »: the information date becomes now; recorded in the sheet's history."""
    now = now or timezone.now()
    if not may_confirm(by, use_case):
        raise PermissionError
    with transaction.atomic():
        updated = UseCase.objects.filter(
            pk=use_case.pk,
            status=Status.PUBLISHED,
            reviewed_at=use_case.reviewed_at,
            published_at=use_case.published_at,
        ).update(reviewed_at=now)
        if not updated:
            raise InvalidLink
        confirmation = ReviewConfirmation.objects.create(
            use_case=use_case, confirmed_at=now, confirmed_by=by
        )
        ModerationEvent.objects.create(
            use_case=use_case,
            actor=by,
            from_status=Status.PUBLISHED,
            to_status=Status.PUBLISHED,
            message=_("Informations confirmées à jour (« Toujours à jour »)."),
            created_at=now,
        )
        bump_catalogue_version()
    use_case.reviewed_at = now
    return confirmation


def due_for_review(now):
    """Published sheets whose information is older than REVIEW_AFTER_MONTHS, oldest first."""
    return (
        UseCase.objects.published()
        .with_information_date()
        .filter(information_date__lt=rules.review_due_before(now))
        .order_by("information_date", "pk")
    )


def send_reminder(use_case, *, now, manual=False):
    """E-mail the contributor (or the moderators if the account is gone), once per date.

    Returns the ReviewReminder, or None when one was already sent for this information date.
    """
    with transaction.atomic():
        information_date = use_case.information_date
        try:
            with transaction.atomic():
                reminder = ReviewReminder.objects.create(
                    use_case=use_case,
                    information_date=information_date,
                    sent_at=now,
                    manual=manual,
                )
        except IntegrityError:
            return None
        recipients, to_moderators = emails.reminder_recipients(use_case)
        reminder.recipient_count = len(recipients)
        reminder.to_moderators = to_moderators
        reminder.save(update_fields=["recipient_count", "to_moderators"])
        # Inside the transaction: if sending fails, nothing is recorded and the next run retries.
        emails.send_reminder(use_case, recipients, make_token(use_case), to_moderators)
    return reminder


def send_due_reminders(now=None):
    """The scheduled job: one reminder per sheet and information date; returns how many sent."""
    now = now or timezone.now()
    sent = 0
    for use_case in due_for_review(now).select_related("author").iterator():
        if send_reminder(use_case, now=now) is not None:
            sent += 1
    return sent
