"""E-mail alerts on newly published cases: a subscription holds the criteria of a list URL."""

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("Chaque jour")
    WEEKLY = "weekly", _("Chaque semaine")


def new_key():
    """The secret of a subscription's links (confirm, manage, unsubscribe): 256 random bits."""
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        """Subscriptions whose address was confirmed: the only ones that receive digests."""
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)

    def for_addresses(self, emails):
        """Subscriptions of these addresses, compared without case."""
        return self.filter(email__in=[normalize_email(email) for email in emails])


def normalize_email(email):
    """One spelling per address: subscriptions and limits compare addresses this way."""
    return email.strip().lower()


class Subscription(models.Model):
    """« Recevoir les nouveaux cas par e-mail » for the criteria of a list (no account needed)."""

    email = models.EmailField(_("adresse e-mail"))
    # The canonical query string of the list's criteria (alerts.criteria), "" for every case.
    criteria = models.CharField(_("critères"), max_length=2000, blank=True)
    frequency = models.CharField(
        _("fréquence"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation envoyée le"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["email", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["email", "criteria"], name="alert_one_per_criteria"),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="alert_frequency_valid"
            ),
        ]
        indexes = [models.Index(fields=["confirmed_at", "created_at"], name="alert_confirmed")]

    def __str__(self):
        return f"{self.email} — {self.criteria or '*'}"

    def get_absolute_url(self):
        return reverse("alerts:manage", kwargs={"key": self.key})

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def get_unsubscribe_url(self):
        return reverse("alerts:unsubscribe", kwargs={"key": self.key})

    def get_confirm_url(self):
        return reverse("alerts:confirm", kwargs={"key": self.key})

    def get_list_url(self):
        path = reverse("usecases:list")
        return f"{path}?{self.criteria}" if self.criteria else path


class Delivery(models.Model):
    """One digest period of one subscription, written in the transaction that sends it.

    The (subscription, period) pair is unique: a digest job run twice, or on two nodes at once,
    sends each period's e-mail once. `window_end` is where the next digest starts.
    """

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    period = models.CharField(_("période"), max_length=20)
    window_start = models.DateTimeField(_("depuis"))
    window_end = models.DateTimeField(_("jusqu’à"))
    case_count = models.PositiveIntegerField(_("cas envoyés"), default=0)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("envoi d’alerte")
        verbose_name_plural = _("envois d’alertes")
        ordering = ["-window_end", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period"], name="alert_delivery_once_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.subscription_id} {self.period}"
