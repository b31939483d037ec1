from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ContactMessage, ReuseDeclaration, Solution, SolutionSlugHistory


class SolutionSlugHistoryInline(admin.TabularInline):
    model = SolutionSlugHistory
    extra = 0
    fields = ["old_slug", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "publisher", "publisher_location", "case_count"]
    list_filter = ["kind", "publisher_location", "model_family"]
    search_fields = ["name", "publisher", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["use_cases"]
    inlines = [SolutionSlugHistoryInline]
    actions = ["merge_solutions"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(case_total=Count("use_cases"))

    @admin.display(description=_("cas d’usage"), ordering="case_total")
    def case_count(self, obj):
        return obj.case_total

    @admin.action(description=_("Fusionner les solutions sélectionnées (doublons)"))
    def merge_solutions(self, request, queryset):
        """Two steps: choose which solution to keep, then every other one is merged into it."""
        solutions = list(queryset.order_by("created_at", "pk"))
        if len(solutions) < 2:
            self.message_user(
                request, _("Sélectionnez au moins deux solutions à fusionner."), messages.WARNING
            )
            return None
        keep_pk = request.POST.get("keep")
        keep = next((s for s in solutions if str(s.pk) == keep_pk), None)
        if "apply" in request.POST and keep is not None:
            for duplicate in solutions:
                if duplicate.pk != keep.pk:
                    services.solution_merge(duplicate=duplicate, into=keep)
            self.message_user(
                request,
                _(
                    "%(count)d solution(s) fusionnée(s) dans « %(name)s » ; "
                    "leurs adresses redirigent."
                )
                % {"count": len(solutions) - 1, "name": keep.name},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Fusionner des solutions"),
            "solutions": solutions,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/reuse/merge_solutions.html", context)


@admin.register(ReuseDeclaration)
class ReuseDeclarationAdmin(admin.ModelAdmin):
    list_display = ["collectivite", "use_case", "kind", "year", "is_visible", "created_at"]
    list_filter = ["kind", ("hidden_at", admin.EmptyFieldListFilter)]
    list_select_related = ["collectivite", "use_case"]
    search_fields = ["collectivite__name", "use_case__title"]
    fields = [
        "use_case",
        "collectivite",
        "kind",
        "year",
        "note",
        "url",
        "solution",
        "author",
        "created_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
    ]
    readonly_fields = [
        "use_case",
        "collectivite",
        "kind",
        "year",
        "note",
        "url",
        "solution",
        "author",
        "created_at",
        "hidden_at",
        "hidden_by",
    ]
    actions = ["hide", "show"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("visible"), boolean=True)
    def is_visible(self, obj):
        return obj.hidden_at is None

    @admin.action(description=_("Masquer les déclarations sélectionnées"))
    def hide(self, request, queryset):
        for declaration in queryset:
            services.declaration_hide(declaration=declaration, moderator=request.user)
        self.message_user(request, _("Déclarations masquées."), messages.SUCCESS)

    @admin.action(description=_("Rendre visibles les déclarations sélectionnées"))
    def show(self, request, queryset):
        for declaration in queryset:
            services.declaration_show(declaration=declaration, moderator=request.user)
        self.message_user(request, _("Déclarations rendues visibles."), messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        # The moderator edits the reason only; hiding goes through the service.
        if change and "hidden_reason" in form.changed_data and obj.hidden_at is None:
            services.declaration_hide(
                declaration=obj, moderator=request.user, reason=obj.hidden_reason
            )
            return
        super().save_model(request, obj, form, change)


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Read-only: kept for abuse handling until the retention command deletes them."""

    list_display = ["created_at", "use_case", "name", "organisation", "recipient"]
    list_select_related = ["use_case"]
    list_filter = ["recipient"]
    readonly_fields = ["use_case", "name", "organisation", "email", "message", "recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
