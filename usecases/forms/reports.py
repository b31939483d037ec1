"""« Signaler une erreur », open to anyone."""

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ErrorReport


class ErrorReportForm(forms.ModelForm):
    """Open to anyone; a honeypot and a minimum fill time keep most robots out."""

    MIN_SECONDS = 3
    website = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = ErrorReport
        fields = ["message", "email"]
        widgets = {"message": forms.Textarea({"rows": 6, "maxlength": 3000})}
        labels = {"message": _("Votre message")}
        help_texts = {
            "email": _("Seulement si vous souhaitez une réponse ; elle n’est jamais publiée.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signing.dumps(timezone.now().timestamp())

    def clean(self):
        cleaned_data = super().clean()
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
        return cleaned_data
