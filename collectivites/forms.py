from django import forms
from django.utils.translation import gettext_lazy as _


class CollectiviteSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom, code INSEE ou SIREN"), max_length=100, required=False)
    toutes = forms.BooleanField(
        label=_("Inclure les collectivités sans cas d’usage publié"), required=False
    )
