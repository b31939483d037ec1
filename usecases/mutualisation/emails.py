"""E-mails of the « Contacter l’équipe » relay, sent through Django's mail backends.

The team's address is never shown to the sender: the site sends the message to the team with
the sender's address as Reply-To, and a copy to the sender without the team's address.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from bibliotheque.site import absolute_url
from usecases.emails import moderator_emails

from .choices import ContactRecipient


def _subject(template, context):
    # One line whatever the names hold: a newline in a subject is a header injection.
    subject = " ".join(render_to_string(template, context).split())
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"


def relay_contact(contact):
    """Send the message to the team, then its copy to the sender; returns the e-mails sent."""
    use_case = contact.use_case
    if contact.recipient == ContactRecipient.CONTRIBUTOR:
        recipients = [use_case.author.email]
    else:
        recipients = moderator_emails()
    context = {
        "contact": contact,
        "use_case": use_case,
        "url": absolute_url(use_case.get_absolute_url()),
        "to_moderators": contact.recipient == ContactRecipient.MODERATORS,
        "retention_days": settings.CONTACT_RETENTION_DAYS,
    }
    sent = 0
    if recipients:
        sent += EmailMessage(
            _subject("emails/contact_subject.txt", context),
            render_to_string("emails/contact.txt", context),
            None,
            recipients,
            reply_to=[contact.email],
        ).send()
    sent += EmailMessage(
        _subject("emails/contact_copy_subject.txt", context),
        render_to_string("emails/contact_copy.txt", context),
        None,
        [contact.email],
    ).send()
    return sent
