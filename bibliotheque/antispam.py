"""Forms open to anonymous visitors: a honeypot field and a minimum fill time keep most
robots out without a third-party captcha."""

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HumanCheckMixin:
    """A honeypot field and a minimum fill time, for forms open to anonymous visitors.

    The form class declares `website = honeypot_field()` and `started = started_field()`, calls
    `init_started()` from its __init__() and `check_human()` from its clean().
    """

    MIN_SECONDS = 3

    def init_started(self):
        self.fields["started"].initial = signing.dumps(timezone.now().timestamp())

    def check_human(self, cleaned_data):
        if cleaned_data.get("website"):
            raise forms.ValidationError(_("Votre message n’a pas pu être envoyé."))
        try:
            started = signing.loads(cleaned_data.get("started", ""), max_age=24 * 3600)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("Le formulaire a expiré : rechargez la page et réessayez.")
            ) from None
        if timezone.now().timestamp() - float(started) < self.MIN_SECONDS:
            raise forms.ValidationError(
                _("Envoi trop rapide : relisez votre message puis envoyez-le à nouveau.")
            )


def honeypot_field():
    return forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def started_field():
    return forms.CharField(widget=forms.HiddenInput)
