from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import KeyFigure, Resource, Technique, Theme, UseCase


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Technique)
class TechniqueAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0


class ResourceInline(admin.StackedInline):
    model = Resource
    extra = 0
    fields = ["title", "kind", "url", "file", "description", "position"]


@admin.register(UseCase)
class UseCaseAdmin(admin.ModelAdmin):
    list_display = ["title", "collectivite", "theme", "stage", "status", "published_at"]
    list_filter = ["status", "theme", "stage", "hosting", "build_mode", "techniques"]
    list_select_related = ["collectivite", "theme"]
    search_fields = ["title", "summary", "collectivite__name"]
    autocomplete_fields = ["collectivite", "partners", "author"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["techniques"]
    date_hierarchy = "published_at"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [KeyFigureInline, ResourceInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "summary", "collectivite", "partners", "theme", "tags"]},
        ),
        (_("Le besoin et la solution"), {"fields": ["need", "solution"]}),
        (_("L’IA et les données"), {"fields": ["techniques", "model_used", "data_used"]}),
        (_("Stade et résultats"), {"fields": ["stage", "start_year", "end_year", "results"]}),
        (
            _("Réalisation et hébergement"),
            {
                "fields": [
                    "build_mode",
                    "vendor",
                    "source_code_url",
                    "cost_range",
                    "funding",
                    "hosting",
                ]
            },
        ),
        (
            _("Transparence"),
            {
                "fields": [
                    "human_oversight",
                    "human_oversight_details",
                    "personal_data",
                    "impact_assessment",
                    "ai_act_risk",
                    "environmental_footprint",
                    "lessons_learned",
                ]
            },
        ),
        (
            _("Contact"),
            {"fields": ["contact_role", "contact_email", "contact_is_public", "public_url"]},
        ),
        (
            _("Publication"),
            {"fields": ["status", "author", "published_at", "created_at", "updated_at"]},
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Tags and partners are saved only now: the search index must see them.
        UseCase.objects.filter(pk=form.instance.pk).refresh_search_index()


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "use_case"]
    list_filter = ["kind"]
    list_select_related = ["use_case"]
    search_fields = ["title", "use_case__title"]
    autocomplete_fields = ["use_case"]
