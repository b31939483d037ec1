"""Multi-factor authentication is required for every moderator right, not for a URL prefix.

`usecases.permissions.moderator_rights_allowed(user)` is the one rule: with ADMIN_REQUIRE_MFA
(the default), a moderator or administrator uses their rights only once an authenticator app is
set up. `usecases.permissions.is_moderator` (previews of others' drafts, private documents) and
the admin site (`bibliotheque.admin`: every moderation decision) both apply it. The admin's own
login form is replaced by django-allauth's (which asks for the second factor), and the middleware
below sends a staff member without an authenticator app to set one up rather than to a refusal.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from usecases.permissions import moderator_rights_allowed


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not moderator_rights_allowed(request.user)
        ):
            messages.warning(
                request,
                _(
                    "La double authentification est obligatoire pour l’espace de modération : "
                    "activez une application d’authentification."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
