"""django-allauth's adapter, pointed at the site's own definitions."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from bibliotheque.limits import client_address
from bibliotheque.site import absolute_url


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's rate limits key on the same client address as every other limit."""
        return client_address(request)

    def send_mail(self, template_prefix, email, context):
        """Every link of allauth's e-mails on SITE_URL, never on the request's Host.

        allauth builds its links (confirmation, password reset, sign-up) with
        request.build_absolute_uri: a forged Host port would reach the message. They are moved
        onto the configured address, and so is the site named in the text.
        """
        request = context.get("request") or allauth_context.request
        origin = request.build_absolute_uri("/").rstrip("/") if request is not None else None
        fixed = {}
        for name, value in context.items():
            if origin and isinstance(value, str) and value.startswith(f"{origin}/"):
                value = absolute_url(value[len(origin) :])
            fixed[name] = value
        fixed["current_site"] = SimpleNamespace(
            name=settings.SITE_NAME, domain=urlsplit(absolute_url()).netloc
        )
        super().send_mail(template_prefix, email, fixed)
