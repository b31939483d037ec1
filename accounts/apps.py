from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """What is about people: sign-up, profile, second factor, passwords, account deletion."""

    name = "accounts"
    verbose_name = _("Comptes")
