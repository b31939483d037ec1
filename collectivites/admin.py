from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Collectivite, Departement, Region


@admin.register(Collectivite)
class CollectiviteAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "departement", "population"]
    list_filter = ["kind", "region"]
    list_select_related = ["departement"]
    search_fields = ["name", "search_name", "=code", "=siren"]
    autocomplete_fields = ["epci"]
    readonly_fields = ["search_name", "sheets"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind"]}),
        (
            _("Codes officiels et rattachements"),
            {"fields": ["code", "siren", "departement", "region", "epci", "population"]},
        ),
        (_("Fiches"), {"fields": ["sheets"]}),
    ]

    @admin.display(description=_("fiches de la collectivité"))
    def sheets(self, obj):
        """Its sheets as lead or partner (drafts never sent stay private), linked."""
        led = list(obj.use_cases.sent_for_review().only("title", "status"))
        partnered = list(obj.partner_use_cases.sent_for_review().only("title", "status"))
        if not led and not partnered:
            return gettext("Aucune fiche pour le moment.")
        items = [(sheet, gettext("porteuse")) for sheet in led] + [
            (sheet, gettext("partenaire")) for sheet in partnered
        ]
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}, {}</li>',
            (
                (
                    reverse("admin:usecases_usecase_change", args=[sheet.pk]),
                    sheet.title,
                    sheet.get_status_display().lower(),
                    role,
                )
                for sheet, role in items
            ),
        )
        listing = reverse("admin:usecases_usecase_changelist") + f"?collectivite={obj.pk}"
        return format_html(
            '<ul>{}</ul><p><a href="{}">{}</a></p>',
            rows,
            listing,
            gettext("Les voir dans la liste des fiches"),
        )

    def get_search_results(self, request, queryset, search_term):
        # Names are matched without accents so "Ile-de-France" finds « Île-de-France ».
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            queryset |= self.model.objects.search(search_term)
        return queryset, may_have_duplicates


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "=code"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "=code"]
