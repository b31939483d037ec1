"""Forms about people: the extra sign-up fields and the account deletion.

allauth builds its own sign-up form on top of SignupForm (settings.ACCOUNT_SIGNUP_FORM_CLASS),
so this module must not import allauth.account.forms: accounts.signup does."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ContributorProfile
from collectivites.forms import CollectiviteLookupMixin


class SignupForm(CollectiviteLookupMixin, forms.Form):
    """The extra sign-up fields (django-allauth adds e-mail and password)."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_collectivite_fields()

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data["collectivite"] = self.clean_collectivite_choice()
        return cleaned_data

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        ContributorProfile.objects.update_or_create(
            user=user, defaults={"collectivite": self.cleaned_data["collectivite"]}
        )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password
