"""Forms of the moderation back office: decisions, archiving, direct edits, error reports."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import ErrorReport, Resource
from .use_case import UseCaseAdminForm


class DecisionForm(forms.Form):
    """A decision on a submitted sheet or update; the message goes to the contributor."""

    # The names of services.DECISIONS.
    PUBLISH, REQUEST_CHANGES, REJECT = "publish", "request_changes", "reject"
    MESSAGE_REQUIRED = (REQUEST_CHANGES, REJECT)

    decision = forms.ChoiceField(label=_("Décision"), widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message à la personne qui a contribué"),
        required=False,
        widget=forms.Textarea({"rows": 6}),
        help_text=_(
            "Obligatoire pour une demande de modifications ou un refus ; facultatif pour une "
            "publication. Il est envoyé par courriel avec la décision et gardé dans "
            "l’historique."
        ),
    )

    def __init__(self, *args, is_update=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (self.PUBLISH, _("Accepter la mise à jour") if is_update else _("Publier")),
            (self.REQUEST_CHANGES, _("Demander des modifications")),
            (self.REJECT, _("Refuser")),
        ]

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("decision") in self.MESSAGE_REQUIRED
            and not cleaned_data.get("message", "").strip()
        ):
            self.add_error("message", _("Expliquez votre décision en quelques mots."))
        return cleaned_data


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison de l’archivage"),
        widget=forms.Textarea({"rows": 5}),
        help_text=_(
            "Envoyée par courriel à la personne qui a contribué et gardée dans l’historique."
        ),
        error_messages={"required": _("Indiquez la raison de l’archivage.")},
    )


class UseCaseEditForm(UseCaseAdminForm):
    """A moderator's direct edit, recorded in the history; the contributor may be told."""

    notify_contributor = forms.BooleanField(
        label=_("Prévenir la personne qui a contribué de cette modification"),
        required=False,
    )
    edit_message = forms.CharField(
        label=_("Message joint (facultatif)"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Par exemple : « Coquille corrigée dans le résumé. »"),
    )

    NOT_CONTENT = ("edited_from", "notify_contributor", "edit_message")

    def content_changes(self):
        return [name for name in self.changed_data if name not in self.NOT_CONTENT]


class ReportForm(forms.ModelForm):
    class Meta:
        model = ErrorReport
        fields = ["state", "internal_note"]
        widgets = {"internal_note": forms.Textarea({"rows": 6})}


class ReportMessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea({"rows": 6}),
        error_messages={"required": _("Écrivez le message à envoyer.")},
    )

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["message"].label = label
        self.fields["message"].help_text = help_text


class _StoredDocument:
    """What the file widget shows for a stored document: its title, linked to the download."""

    def __init__(self, label, url):
        self.label, self.url = label, url

    def __str__(self):
        return self.label


class DocumentInput(forms.ClearableFileInput):
    """Documents are served by the download view (permissions checked), not from MEDIA_URL."""

    def __init__(self, *args, download_url="", label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.download_url, self.label = download_url, label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.download_url and context["widget"]["is_initial"]:
            context["widget"]["value"] = _StoredDocument(self.label, self.download_url)
        return context


class ResourceAdminForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["title", "kind", "url", "file", "description", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.file:
            self.fields["file"].widget = DocumentInput(
                download_url=reverse("usecases:resource_download", args=[self.instance.pk]),
                label=_("Télécharger « %(title)s »") % {"title": self.instance.title},
            )
