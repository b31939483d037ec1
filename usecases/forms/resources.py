"""A document or a link attached to a sheet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Resource
from ..validators import validate_document


class ResourceForm(forms.ModelForm):
    """A link (https only) or a document checked from its content."""

    class Meta:
        model = Resource
        fields = ["title", "kind", "url", "file", "description"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ".pdf,.odt,.docx,.xlsx,.csv"})}
        help_texts = {
            "url": _("Un lien commençant par https://, ou bien un document ci-dessous."),
            "file": _("PDF, ODT, DOCX, XLSX ou CSV, 10 Mo au plus."),
        }

    def clean_url(self):
        # URLField would complete « //evil.tld » or « evil.tld » into an https address: the
        # contributor must write the scheme, so that what is stored is what they meant.
        raw = (self.data.get(self.add_prefix("url")) or "").strip()
        if raw and not raw.lower().startswith("https://"):
            raise forms.ValidationError(
                _("Seules les adresses commençant par https:// sont acceptées.")
            )
        return self.cleaned_data["url"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            validate_document(upload)
        return upload

    def clean(self):
        cleaned_data = super().clean()
        has_url, has_file = bool(cleaned_data.get("url")), bool(cleaned_data.get("file"))
        if has_url == has_file and not self.errors:
            raise forms.ValidationError(
                _("Indiquez soit un lien, soit un document (l’un ou l’autre).")
            )
        return cleaned_data
