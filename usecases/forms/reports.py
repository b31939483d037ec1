"""« Signaler une erreur », open to anyone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bibliotheque.antispam import HumanCheckMixin, honeypot_field, started_field

from ..models import ErrorReport


class ErrorReportForm(HumanCheckMixin, forms.ModelForm):
    """Open to anyone; a honeypot and a minimum fill time keep most robots out."""

    website = honeypot_field()
    started = started_field()

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
        self.init_started()

    def clean(self):
        cleaned_data = super().clean()
        self.check_human(cleaned_data)
        return cleaned_data
