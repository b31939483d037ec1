"""Who may do what with a case: checked in every view, on the object itself."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

from .choices import EDITABLE_STATUSES, Status


def moderator_rights_allowed(user):
    """The second-factor rule (docs/securite.md): with ADMIN_REQUIRE_MFA (the default), a
    moderator or an administrator uses their rights only once an authenticator app is set up.
    is_moderator applies it here, the admin site (bibliotheque.admin) and accounts.mfa there."""
    if not settings.ADMIN_REQUIRE_MFA:
        return True
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


def is_moderator(user):
    """Moderator rights: the group (or superuser) and a second factor."""
    return (
        user.is_authenticated
        and (user.is_superuser or user.groups.filter(name=settings.MODERATORS_GROUP).exists())
        and moderator_rights_allowed(user)
    )


def can_view_unpublished(user, use_case):
    """Its contributor sees a case at every stage; moderators from its submission on (a draft
    never sent is private to its contributor)."""
    return user.is_authenticated and (
        use_case.author_id == user.pk or (use_case.status != Status.DRAFT and is_moderator(user))
    )


def can_edit(user, use_case):
    return (
        user.is_authenticated
        and use_case.author_id == user.pk
        and use_case.status in EDITABLE_STATUSES
    )
