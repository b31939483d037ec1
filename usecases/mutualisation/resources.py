"""/ressources/: every public resource of the published sheets, filterable."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from bibliotheque.text import normalize
from usecases.choices import ResourceKind, Status
from usecases.models import Resource, Technique, Theme
from usecases.views import paginate

PER_PAGE = 50


class ResourceFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type de ressource"),
        required=False,
        choices=[("", _("Tous les types")), *ResourceKind.choices],
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    technique = forms.ModelChoiceField(
        label=_("Technique d’IA"),
        required=False,
        queryset=Technique.objects.all(),
        to_field_name="slug",
        empty_label=_("Toutes les techniques"),
    )
    collectivite = forms.CharField(
        label=_("Collectivité"),
        required=False,
        max_length=100,
        help_text=_("Une partie de son nom, par exemple « Rennes »."),
    )

    def filter(self, resources):
        data = self.cleaned_data
        if data["type"]:
            resources = resources.filter(kind=data["type"])
        if data["theme"]:
            resources = resources.filter(use_case__theme=data["theme"])
        if data["technique"]:
            resources = resources.filter(use_case__techniques=data["technique"])
        name = normalize(data["collectivite"])
        if name:
            resources = resources.filter(use_case__collectivite__search_name__contains=name)
        return resources


def resource_list(request):
    form = ResourceFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "reuse/resource_list.html", {"form": form}, status=400)
    resources = form.filter(
        Resource.objects.filter(use_case__status=Status.PUBLISHED)
        .select_related("use_case__collectivite", "use_case__theme")
        .only(
            "title",
            "kind",
            "url",
            "file",
            "description",
            "use_case__title",
            "use_case__slug",
            "use_case__collectivite__name",
            "use_case__theme__name",
        )
        .order_by("-pk")
    )
    page_obj = paginate(request, resources, PER_PAGE)
    return render(request, "reuse/resource_list.html", {"form": form, "page_obj": page_obj})
