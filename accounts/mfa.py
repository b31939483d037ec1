"""Multi-factor authentication is required for moderators and administrators.

The admin's own login form is replaced by django-allauth's (which asks for the second factor),
and a staff member without an authenticator app is sent to set one up before any admin page.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_REQUIRE_MFA
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
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
