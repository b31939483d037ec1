"""The moderator's decision on a submitted sheet or update."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services import DECISIONS, MESSAGE_REQUIRED

LABELS = {
    "publish": _("Publier"),
    "request_changes": _("Demander des modifications"),
    "reject": _("Refuser"),
}


class ModerationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(decision, LABELS[decision]) for decision in DECISIONS],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message au contributeur"),
        required=False,
        widget=forms.Textarea({"rows": 5}),
        help_text=_("Obligatoire pour une demande de modifications ou un refus."),
    )

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("decision") in MESSAGE_REQUIRED
            and not cleaned_data.get("message", "").strip()
        ):
            self.add_error("message", _("Expliquez votre décision au contributeur."))
        return cleaned_data
