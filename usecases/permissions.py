"""Who may do what with a case: checked in every view, on the object itself."""

from django.conf import settings

from accounts.mfa import moderator_rights_allowed

from .choices import EDITABLE_STATUSES


def is_moderator(user):
    """Moderator rights: the group (or superuser) and a second factor (accounts.mfa)."""
    return (
        user.is_authenticated
        and (user.is_superuser or user.groups.filter(name=settings.MODERATORS_GROUP).exists())
        and moderator_rights_allowed(user)
    )


def can_view_unpublished(user, use_case):
    """The contributor of a case and the moderators see it before it is published."""
    return user.is_authenticated and (use_case.author_id == user.pk or is_moderator(user))


def can_edit(user, use_case):
    return (
        user.is_authenticated
        and use_case.author_id == user.pk
        and use_case.status in EDITABLE_STATUSES
    )
