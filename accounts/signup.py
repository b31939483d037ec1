"""The sign-up form django-allauth uses (settings.ACCOUNT_FORMS).

allauth builds its own form on top of accounts.forms.SignupForm (ACCOUNT_SIGNUP_FORM_CLASS),
so this subclass lives in its own module to avoid a circular import.
"""

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _


class ProfessionalSignupForm(SignupForm):
    """allauth's sign-up with the person's name first and an explicit e-mail label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail professionnelle")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["email"].help_text = _(
            "Celle de votre collectivité, par exemple « prenom.nom@mairie-exemple.fr »."
        )
        self.fields["email"].error_messages["invalid"] = _(
            "Saisissez une adresse e-mail valide, par exemple « prenom.nom@mairie-exemple.fr »."
        )
        self.order_fields(
            ["first_name", "last_name", "email", "collectivite_query", "collectivite"]
        )

    def try_save(self, request):
        """An existing address costs what a new account costs (docs/securite.md).

        With ACCOUNT_PREVENT_ENUMERATION allauth answers alike but skips creating the account,
        and with it the password hashing, the slowest step: the delay told which addresses have
        an account. The password is hashed the same way, and the result thrown away.
        """
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
