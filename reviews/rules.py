"""When a published sheet's information is due for review, and when it is plainly old.

A sheet's information date is its last publication, accepted update or « Toujours à jour »
confirmation (UseCase.reviewed_at), or its first publication when none was recorded.
"""

import calendar
from datetime import timedelta

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

# Months after the information date: the contributor is asked to confirm or update it...
REVIEW_AFTER_MONTHS = 12
# ...and, past this, the sheet says its information may be out of date.
STALE_AFTER_MONTHS = 18
# How long the link of a reminder e-mail stays valid.
CONFIRMATION_LINK_DAYS = 90

INFORMATION_DATE = Coalesce(F("reviewed_at"), F("published_at"))


def months_before(moment, months):
    """The same day and wall-clock time `months` months earlier, in the site's time zone (the
    last day of a shorter month)."""
    moment = timezone.localtime(moment)
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def review_due_before(now):
    """Sheets whose information date is before this are due for review."""
    return months_before(now, REVIEW_AFTER_MONTHS)


def stale_before(now):
    return months_before(now, STALE_AFTER_MONTHS)


def link_lifetime():
    return timedelta(days=CONFIRMATION_LINK_DAYS)
