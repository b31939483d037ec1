"""Template helpers of the moderation back office."""

from django import template
from django.utils.translation import gettext as _

from .. import diff, review

register = template.Library()


@register.simple_tag
def moderation_queues():
    """What waits for the moderators: {% moderation_queues as queues %}."""
    return review.queues()


@register.filter
def field_labels(names):
    """The French labels of field names, for a direct edit in the history."""
    return ", ".join(diff.label(name) for name in names or [])


@register.filter
def person(user):
    """A person's name, else their address: never a bare username."""
    if user is None:
        return _("compte supprimé")
    return user.get_full_name() or user.email or user.get_username()
