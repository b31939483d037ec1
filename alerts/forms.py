from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_("Un lien de confirmation vous sera envoyé : rien ne part sans lui."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label=_("Fréquence"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    criteria = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Fréquence"), choices=Frequency.choices, widget=forms.RadioSelect
    )
