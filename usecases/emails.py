"""Notifications of the moderation workflow, sent through Django's mail backends."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from bibliotheque.site import absolute_url

from . import diff
from .choices import Status


def moderator_emails():
    User = get_user_model()
    return list(
        User.objects.filter(
            is_active=True, groups__name=settings.MODERATORS_GROUP, email__gt=""
        ).values_list("email", flat=True)
    )


def _send(template, context, recipients, reply_to=()):
    if not recipients:
        return 0
    # One line whatever the title holds: a newline in a subject is a header injection.
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}.txt", context)
    message = EmailMessage(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body,
        None,
        recipients,
        reply_to=[address for address in reply_to if address],
    )
    return message.send()


def _moderation_reply_to(moderator):
    """Where an answer to the moderation goes: the site's contact address, else the moderator."""
    return [settings.SITE_CONTACT_EMAIL or moderator.email]


def notify_moderators(event):
    """Something was submitted for review."""
    if event.revision_id:
        path = reverse("admin:usecases_usecaserevision_change", args=[event.revision_id])
    else:
        path = reverse("admin:usecases_submission_change", args=[event.use_case_id])
    context = {"event": event, "use_case": event.use_case, "url": absolute_url(path)}
    return _send("submitted", context, moderator_emails())


def notify_contributor(event):
    """A moderator decided: the contributor hears of it, with the message."""
    author = event.revision.author if event.revision_id else event.use_case.author
    if author is None or not author.email:
        return 0
    if event.to_status == Status.PUBLISHED or event.is_edit:
        path = event.use_case.get_absolute_url()
    else:
        path = reverse("usecases:my_contributions")
    context = {
        "event": event,
        "use_case": event.use_case,
        "user": author,
        "url": absolute_url(path),
        "is_update": bool(event.revision_id),
        "changed_labels": [diff.label(name) for name in event.changed_fields],
        "closed_update": event.to_status == Status.ARCHIVED
        and event.use_case.moderation_events.filter(
            revision__isnull=False, to_status=Status.ARCHIVED, created_at__gte=event.created_at
        ).exists()
        if not event.revision_id
        else False,
    }
    return _send("decision", context, [author.email])


def notify_error_report(report):
    """A visitor reported an error: the moderators hear of it and may answer by replying."""
    context = {
        "report": report,
        "use_case": report.use_case,
        "url": absolute_url(reverse("admin:usecases_errorreport_change", args=[report.pk])),
        "sheet_url": absolute_url(report.use_case.get_absolute_url()),
    }
    return _send("error_report", context, moderator_emails(), reply_to=[report.email])


def send_report_reply(report, *, by, message):
    context = {
        "report": report,
        "use_case": report.use_case,
        "message": message,
        "sheet_url": absolute_url(report.use_case.get_absolute_url()),
    }
    return _send("report_reply", context, [report.email], reply_to=_moderation_reply_to(by))


def send_report_forward(report, *, by, message):
    author = report.use_case.author
    context = {
        "report": report,
        "use_case": report.use_case,
        "message": message,
        "user": author,
        "sheet_url": absolute_url(report.use_case.get_absolute_url()),
        "update_url": absolute_url(reverse("usecases:revision", args=[report.use_case_id])),
    }
    return _send("report_forward", context, [author.email], reply_to=_moderation_reply_to(by))
