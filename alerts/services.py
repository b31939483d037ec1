"""Subscribing, confirming, unsubscribing and the digests of e-mail alerts.

Every function that sends mail records what it sent in the same transaction, so that a job run
twice (or on two nodes at once) sends nothing twice. Time is a parameter (`now`), read once per
job, so that the digest windows are exact and testable.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from usecases.listing import current_index

from . import criteria as criteria_module
from . import emails
from .models import Delivery, Frequency, Subscription, normalize_email

# An unconfirmed subscription: its confirmation link expires, then the row is purged.
CONFIRMATION_DAYS = 7
# Subscriptions one address may hold (confirmed or not).
MAX_PER_ADDRESS = 20
# Cases listed in one digest; beyond, the e-mail links to the list.
DIGEST_SIZE = 20
# A digest never reaches further back than this (a scheduler stopped for a month sends one
# digest of the last weeks, not a backlog).
MAX_WINDOW = timedelta(days=31)
# What a digest shows of a case (templates/alerts/emails/digest.txt).
DIGEST_FIELDS = ["title", "slug", "published_at", "collectivite__name", "theme__name"]


def subscribe(*, email, criteria, frequency, now=None):
    """Ask for an alert: an unconfirmed subscription and its confirmation e-mail.

    Returns whether an e-mail was sent. The caller answers the same whatever happened, so that
    the form never tells whether an address is already subscribed.
    """
    now = now or timezone.now()
    email = normalize_email(email)
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().filter(email=email, criteria=criteria).first()
        )
        if subscription is None:
            if Subscription.objects.filter(email=email).count() >= MAX_PER_ADDRESS:
                return False
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email, criteria=criteria, frequency=frequency, created_at=now
                    )
            except IntegrityError:  # the same request, twice at once: the first one sends
                return False
        elif subscription.is_confirmed:
            return False
        subscription.frequency = frequency
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["frequency", "confirmation_sent_at"])
        emails.send_confirmation(subscription)
    return True


def confirmation_expired(subscription, now=None):
    now = now or timezone.now()
    sent = subscription.confirmation_sent_at or subscription.created_at
    return not subscription.is_confirmed and sent < now - timedelta(days=CONFIRMATION_DAYS)


def confirm(subscription, now=None):
    """Confirm the address (double opt-in); digests count cases published from now on."""
    now = now or timezone.now()
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now
    )
    subscription.refresh_from_db()
    return subscription


def unsubscribe(key):
    """Delete the subscription of this key, if any; nothing is kept about it."""
    return Subscription.objects.filter(key=key).delete()[0] > 0


def period_of(frequency, now):
    """(period key, end of the window) of the digest due at `now`, in the site's time zone.

    Daily: the cases published before today's midnight; weekly: before this week's Monday.
    """
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Frequency.DAILY:
        return local.date().isoformat(), midnight
    year, week, weekday = local.isocalendar()
    return f"{year}-W{week:02d}", midnight - timedelta(days=weekday - 1)


def send_digest(subscription, *, now, index=None):
    """Send the digest of the current period to one subscription, once; the Delivery or None."""
    period, end = period_of(subscription.frequency, now)
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().confirmed().filter(pk=subscription.pk).first()
        )
        if subscription is None:
            return None
        start = _window_start(subscription, period, end)
        if start is None:
            return None
        new_cases = criteria_module.matching(subscription.criteria, index=index).filter(
            published_at__gte=start, published_at__lt=end
        )
        count = new_cases.count()
        delivery = _record_delivery(subscription, period, start, end, count, now)
        if delivery is None:
            return None
        if count:
            cases = list(
                new_cases.select_related("collectivite", "theme")
                .only(*DIGEST_FIELDS)
                .order_by("-published_at", "-pk")[:DIGEST_SIZE]
            )
            # Inside the transaction: if sending fails, nothing is recorded and the next run
            # sends this period again.
            emails.send_digest(subscription, cases, count, start, end, index=index)
    return delivery


def _window_start(subscription, period, end):
    """Where the window ending at `end` starts: at the last digest (or the confirmation), at
    most MAX_WINDOW back; None when this period was sent already or the window is empty."""
    last = (
        subscription.deliveries.order_by("-window_end").values_list("period", "window_end").first()
    )
    if last is not None and last[0] == period:
        return None
    start = max(last[1] if last else subscription.confirmed_at, end - MAX_WINDOW)
    return start if start < end else None


def _record_delivery(subscription, period, start, end, count, now):
    """The period's Delivery, or None when another run recorded it first."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                subscription=subscription,
                period=period,
                window_start=start,
                window_end=end,
                case_count=count,
                sent_at=now,
            )
    except IntegrityError:
        return None


def send_digests(now=None):
    """The digests due now for every confirmed subscription; returns (subscriptions, e-mails)."""
    now = now or timezone.now()
    index = current_index()  # The filters' choices, read once for every subscription.
    seen = sent = 0
    for subscription in Subscription.objects.confirmed().order_by("pk").iterator():
        seen += 1
        delivery = send_digest(subscription, now=now, index=index)
        if delivery is not None and delivery.case_count:
            sent += 1
    return seen, sent


def purge(now=None):
    """Delete unconfirmed subscriptions past their confirmation delay; returns how many."""
    now = now or timezone.now()
    limit = now - timedelta(days=CONFIRMATION_DAYS)
    return (
        Subscription.objects.unconfirmed()
        .filter(created_at__lt=limit)
        .exclude(confirmation_sent_at__gte=limit)
        .delete()[1]
        .get(Subscription._meta.label, 0)
    )
