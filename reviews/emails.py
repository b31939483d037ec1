from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bibliotheque.site import absolute_url
from bibliotheque.typography import french_text
from usecases.emails import moderator_emails

from . import rules


def reminder_recipients(use_case):
    """([addresses], to_moderators): the contributor, or the moderators if the account is gone."""
    author = use_case.author
    if author is not None and author.is_active and author.email:
        return [author.email], False
    return moderator_emails(), True


def send_reminder(use_case, recipients, token, to_moderators):
    if not recipients:
        return 0
    context = {
        "use_case": use_case,
        "information_date": timezone.localtime(use_case.information_date),
        "months": rules.REVIEW_AFTER_MONTHS,
        "stale_months": rules.STALE_AFTER_MONTHS,
        "link_days": rules.CONFIRMATION_LINK_DAYS,
        "to_moderators": to_moderators,
        "confirm_url": absolute_url(
            reverse("reviews:confirm", kwargs={"pk": use_case.pk, "token": token})
        ),
        "update_url": absolute_url(reverse("usecases:revision", kwargs={"pk": use_case.pk})),
        "sheet_url": absolute_url(use_case.get_absolute_url()),
    }
    subject = " ".join(render_to_string("reviews/emails/reminder_subject.txt", context).split())
    subject = french_text(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}")
    # French spaces before « : ? ! » and inside guillemets; links are left as they are.
    body = french_text(render_to_string("reviews/emails/reminder.txt", context))
    return send_mail(subject, body, None, recipients)
