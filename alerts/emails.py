"""The e-mails of alerts: the confirmation (double opt-in) and the digest.

Every digest carries a one-click unsubscribe link in its body and in the List-Unsubscribe and
List-Unsubscribe-Post headers (RFC 2369, RFC 8058), so that mail clients offer it too.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from bibliotheque.site import absolute_url as absolute
from bibliotheque.typography import french_text

from .criteria import describe


def _message(template, context, subscription, headers=None):
    # One line whatever the criteria hold: a newline in a subject is a header injection.
    subject = " ".join(render_to_string(f"alerts/emails/{template}_subject.txt", context).split())
    # French spaces before « : ? ! » and inside guillemets; links are left as they are.
    return EmailMessage(
        subject=french_text(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"),
        body=french_text(render_to_string(f"alerts/emails/{template}.txt", context)),
        to=[subscription.email],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )


def _context(subscription, index=None):
    return {
        "subscription": subscription,
        "criteria": describe(subscription.criteria, index),
        "list_url": absolute(subscription.get_list_url()),
        "manage_url": absolute(subscription.get_absolute_url()),
        "unsubscribe_url": absolute(subscription.get_unsubscribe_url()),
    }


def send_confirmation(subscription):
    context = {**_context(subscription), "confirm_url": absolute(subscription.get_confirm_url())}
    return _message("confirmation", context, subscription).send()


def send_digest(subscription, cases, count, start, end, index=None):
    context = {
        **_context(subscription, index),
        "cases": [(case, absolute(case.get_absolute_url())) for case in cases],
        "count": count,
        "more": count - len(cases),
        # The window's days: it ends at midnight, so its last day is the one before `end`.
        "first_day": timezone.localtime(start).date(),
        "last_day": (timezone.localtime(end) - timedelta(microseconds=1)).date(),
    }
    unsubscribe_url = context["unsubscribe_url"]
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Precedence": "bulk",
    }
    return _message("digest", context, subscription, headers).send()
