"""Review dates of published sheets: reminders sent and « Toujours à jour » confirmations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from usecases.models import UseCase


class ReviewReminder(models.Model):
    """A reminder e-mail about one information date of a sheet.

    The scheduled job sends one per (sheet, information date), recorded in the transaction that
    sends it; reminders sent by hand from the admin queue (`manual`) are recorded too.
    """

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="review_reminders")
    information_date = models.DateTimeField(_("informations datées du"))
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    recipient_count = models.PositiveSmallIntegerField(_("destinataires"), default=0)
    to_moderators = models.BooleanField(_("envoyé aux modérateurs"), default=False)
    manual = models.BooleanField(_("relance manuelle"), default=False)

    class Meta:
        verbose_name = _("rappel d’actualisation")
        verbose_name_plural = _("rappels d’actualisation")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "information_date"],
                condition=Q(manual=False),
                name="review_reminder_once_per_date",
            ),
        ]

    def __str__(self):
        return f"{self.use_case_id} {self.information_date:%Y-%m-%d}"


class ReviewConfirmation(models.Model):
    """« Toujours à jour »: the contributor or a moderator confirmed the sheet's information.

    Who confirmed is kept for the moderators; the public history shows the date only.
    """

    use_case = models.ForeignKey(
        UseCase, on_delete=models.CASCADE, related_name="review_confirmations"
    )
    confirmed_at = models.DateTimeField(_("confirmée le"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("confirmation « Toujours à jour »")
        verbose_name_plural = _("confirmations « Toujours à jour »")
        ordering = ["-confirmed_at", "-pk"]

    def __str__(self):
        return f"{self.use_case_id} {self.confirmed_at:%Y-%m-%d}"


class SheetToRefresh(UseCase):
    """The admin's « À actualiser » queue: published sheets due for review, oldest first."""

    class Meta:
        proxy = True
        verbose_name = _("fiche à actualiser")
        verbose_name_plural = _("À actualiser")
