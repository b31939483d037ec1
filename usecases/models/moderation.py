"""The moderation workflow: the queue, proposed updates, decisions and error reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import OPEN_REVISION_STATUSES, ReportState, Status
from .use_case import UseCase


class Submission(UseCase):
    """The moderation queue: cases awaiting a decision (a proxy for its own admin page)."""

    class Meta:
        proxy = True
        verbose_name = _("fiche à modérer")
        verbose_name_plural = _("fiches à modérer")


class UseCaseRevisionQuerySet(models.QuerySet):
    def open(self):
        """Updates being prepared or reviewed (at most one per case)."""
        return self.filter(status__in=OPEN_REVISION_STATUSES)


class UseCaseRevision(models.Model):
    """An update of a published case proposed by its contributor.

    The published row stays untouched until a moderator accepts the revision; the proposed
    values are kept as a JSON snapshot of the editable fields (plus tags and technique slugs).
    """

    use_case = models.ForeignKey(
        UseCase, verbose_name=_("cas d’usage"), on_delete=models.CASCADE, related_name="revisions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="use_case_revisions",
    )
    data = models.JSONField(_("valeurs proposées"), default=dict)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    objects = UseCaseRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mise à jour proposée")
        verbose_name_plural = _("mises à jour proposées")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="revision_status_valid"
            ),
            # At most one open update per case: a contributor edits it rather than stacking.
            models.UniqueConstraint(
                fields=["use_case"],
                condition=Q(status__in=list(OPEN_REVISION_STATUSES)),
                name="revision_one_open_per_case",
            ),
        ]

    def __str__(self):
        return _("Mise à jour de « %(title)s »") % {"title": self.use_case.title}


class ModerationEventQuerySet(models.QuerySet):
    def with_names(self):
        """What a history line shows: the actor's name and the update it concerns."""
        return self.select_related("actor", "revision")


class ModerationEvent(models.Model):
    """One entry of a case's history: a transition of the case or of a proposed update (who,
    when, from, to, why), or a direct edit by a moderator (from = to, with the fields changed).
    """

    use_case = models.ForeignKey(
        UseCase,
        verbose_name=_("cas d’usage"),
        on_delete=models.CASCADE,
        related_name="moderation_events",
    )
    revision = models.ForeignKey(
        UseCaseRevision,
        verbose_name=_("mise à jour"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    from_status = models.CharField(_("de"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("vers"), max_length=20, choices=Status.choices)
    message = models.TextField(_("message"), blank=True)
    # Direct edits: the names of the fields a moderator changed (usecases.diff labels them).
    changed_fields = models.JSONField(_("champs modifiés"), default=list, blank=True)
    # Requests for changes: the values the moderator read, so that the resubmission can be
    # shown as a diff of what changed since; publications and direct edits: the version
    # published, for the public history (usecases.diff.use_case_values format). An accepted
    # update's version is its revision's data.
    snapshot = models.JSONField(_("valeurs relues"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("le"), default=timezone.now, editable=False)

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée d’historique")
        verbose_name_plural = _("entrées d’historique")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        if self.is_edit:
            return str(_("Modification directe"))
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def is_edit(self):
        return self.from_status == self.to_status


class ErrorReport(models.Model):
    """« Signaler une erreur » on a published sheet, for the moderators."""

    use_case = models.ForeignKey(
        UseCase,
        verbose_name=_("cas d’usage"),
        on_delete=models.CASCADE,
        related_name="error_reports",
    )
    message = models.TextField(_("message"), max_length=3000)
    email = models.EmailField(_("adresse électronique (facultative)"), blank=True)
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now, editable=False)
    state = models.CharField(
        _("état"), max_length=20, choices=ReportState.choices, default=ReportState.NEW
    )
    internal_note = models.TextField(
        _("note interne"),
        blank=True,
        help_text=_("Visible de la modération seulement : ce qui a été vérifié, fait, répondu."),
    )

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ReportState.values), name="errorreport_state_valid"
            ),
        ]

    def __str__(self):
        return _("Signalement du %(date)s") % {
            "date": timezone.localtime(self.created_at).strftime("%d/%m/%Y %H:%M")
        }
