"""django-allauth's adapter, pointed at the site's own definitions."""

from allauth.account.adapter import DefaultAccountAdapter

from bibliotheque.limits import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's rate limits key on the same client address as every other limit."""
        return client_address(request)
