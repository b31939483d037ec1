from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Collectivite, Departement, Region


@admin.register(Collectivite)
class CollectiviteAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "departement", "population"]
    list_filter = ["kind", "region"]
    list_select_related = ["departement"]
    search_fields = ["name", "search_name", "=code", "=siren"]
    autocomplete_fields = ["epci"]
    readonly_fields = ["search_name"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind"]}),
        (
            _("Codes officiels et rattachements"),
            {"fields": ["code", "siren", "departement", "region", "epci", "population"]},
        ),
    ]

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
