from django.contrib import admin

from .models import ContributorProfile


@admin.register(ContributorProfile)
class ContributorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "collectivite"]
    list_select_related = ["user", "collectivite"]
    search_fields = ["user__email", "user__last_name", "collectivite__name"]
    autocomplete_fields = ["user", "collectivite"]
