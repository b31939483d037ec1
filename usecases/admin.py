from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import services
from .choices import Status
from .forms import SECTIONS, ModerationDecisionForm, UseCaseAdminForm
from .forms.key_figures import KEY_FIGURE_FIELDS, KEY_FIGURE_SLOTS
from .models import (
    ContributorProfile,
    ErrorReport,
    KeyFigure,
    ModerationEvent,
    Resource,
    Submission,
    Technique,
    Theme,
    UseCase,
    UseCaseRevision,
    UseCaseSlugHistory,
)


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
    # As many as the contributor's form offers.
    max_num = KEY_FIGURE_SLOTS


class ModerationEventInline(admin.TabularInline):
    """The moderation history, read-only: it is written by the services only."""

    model = ModerationEvent
    extra = 0
    fields = ["created_at", "actor", "from_status", "to_status", "message", "revision"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("historique de modération")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ResourceInline(admin.StackedInline):
    model = Resource
    extra = 0
    fields = ["title", "kind", "url", "file", "description", "position"]


class SentStatusFilter(admin.SimpleListFilter):
    """The states a moderator may see: « Brouillon » is not one (drafts are private)."""

    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [(status.value, status.label) for status in Status if status != Status.DRAFT]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class RevisionStatusFilter(admin.SimpleListFilter):
    """Updates « En revue » by default: the queue first, the rest on request."""

    title = _("état")
    parameter_name = "etat"
    ALL = "toutes"

    def lookups(self, request, model_admin):
        return [
            (Status.SUBMITTED.value, _("En revue")),
            (Status.CHANGES_REQUESTED.value, _("Modifications demandées")),
            (Status.PUBLISHED.value, _("Acceptées")),
            (Status.REJECTED.value, _("Refusées")),
            (Status.ARCHIVED.value, _("Closes (fiche archivée)")),
            (self.ALL, _("Toutes")),
        ]

    def value(self):
        return super().value() or Status.SUBMITTED.value

    def choices(self, changelist):
        # No « Tout » entry of Django's: « Toutes » is one of the lookups, the default is not.
        for value, title in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())


@admin.register(UseCase)
class UseCaseAdmin(admin.ModelAdmin):
    form = UseCaseAdminForm
    list_display = ["title", "collectivite", "theme", "stage", "status", "published_at"]
    list_filter = [SentStatusFilter, "theme", "stage", "hosting", "build_mode", "techniques"]
    list_select_related = ["collectivite", "theme"]
    search_fields = ["title", "summary", "collectivite__name"]
    autocomplete_fields = ["collectivite", "partners", "author"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["techniques"]
    date_hierarchy = "published_at"
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [KeyFigureInline, ResourceInline, ModerationEventInline]
    actions = ["publish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "collectivite",
                    "partners",
                    "theme",
                    "tags",
                    "edited_from",
                ]
            },
        ),
        # The other sections of the sheet, as the contributor's form shows them; the key
        # figures are edited in their inline here, not as the form's flat fields.
        *(
            (title, {"fields": names})
            for title, names in SECTIONS[1:]
            if names is not KEY_FIGURE_FIELDS
        ),
        (
            _("Publication"),
            {"fields": ["status", "author", "published_at", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        # A draft never sent is its contributor's alone, on every admin page.
        return super().get_queryset(request).sent_for_review()

    @admin.action(description=_("Publier les fiches sélectionnées"))
    def publish(self, request, queryset):
        self._apply(request, queryset, services.use_case_publish)

    def _apply(self, request, queryset, service):
        if not self.has_change_permission(request):
            raise PermissionDenied
        done = 0
        for use_case in queryset:
            try:
                service(use_case=use_case, moderator=request.user)
                done += 1
            except services.TransitionError as error:
                self.message_user(request, f"« {use_case} » : {error}", messages.WARNING)
        if done:
            self.message_user(request, _("%(count)d fiche(s) traitée(s).") % {"count": done})

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

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(use_case__status=Status.DRAFT)


class ModerationViewMixin:
    """A change page that is a decision page: what to review, and the decision form."""

    decision_template = "admin/usecases/moderate.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def decide(self, request, obj, decision, message):
        raise NotImplementedError

    def review_context(self, obj):
        return {}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = ModerationDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                self.decide(
                    request, obj, form.cleaned_data["decision"], form.cleaned_data["message"]
                )
            except services.TransitionError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Décision enregistrée et contributeur prévenu."))
            return redirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Modérer : %(obj)s") % {"obj": obj},
            "form": form,
            **self.review_context(obj),
        }
        return TemplateResponse(request, self.decision_template, context)


@admin.register(Submission)
class SubmissionAdmin(ModerationViewMixin, admin.ModelAdmin):
    """The queue of cases awaiting review, oldest first."""

    list_display = ["title", "collectivite", "author", "updated_at"]
    list_select_related = ["collectivite", "author"]
    search_fields = ["title", "collectivite__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Status.SUBMITTED).order_by("updated_at")

    def review_context(self, obj):
        return {
            "use_case": obj,
            "events": obj.moderation_events.select_related("actor")[:10],
            "preview_url": reverse("usecases:preview", args=[obj.pk]),
        }

    def decide(self, request, obj, decision, message):
        services.use_case_decide(
            use_case=obj, decision=decision, moderator=request.user, message=message
        )


@admin.register(UseCaseRevision)
class UseCaseRevisionAdmin(ModerationViewMixin, admin.ModelAdmin):
    """Updates of published cases awaiting review, with what they change."""

    list_display = ["use_case", "author", "status", "submitted_at"]
    list_filter = [RevisionStatusFilter]
    list_select_related = ["use_case", "author"]
    search_fields = ["use_case__title"]

    def get_queryset(self, request):
        # An update exists for the moderators once sent: a saved, unsent one is private.
        return (
            super()
            .get_queryset(request)
            .exclude(status=Status.DRAFT)
            .order_by("submitted_at", "pk")
        )

    def review_context(self, obj):
        return {
            "use_case": obj.use_case,
            "revision": obj,
            "changes": services.revision_changes(obj),
            "events": obj.moderation_events.select_related("actor")[:10],
            "preview_url": obj.use_case.get_absolute_url(),
        }

    def decide(self, request, obj, decision, message):
        services.revision_decide(
            revision=obj, decision=decision, moderator=request.user, message=message
        )


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "use_case", "actor", "from_status", "to_status"]
    list_filter = ["to_status"]
    list_select_related = ["use_case", "actor"]
    search_fields = ["use_case__title", "message"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["use_case", "created_at", "email", "state"]
    list_filter = ["state"]
    list_editable = ["state"]
    list_select_related = ["use_case"]
    search_fields = ["use_case__title", "message"]
    readonly_fields = ["use_case", "message", "email", "created_at"]


@admin.register(ContributorProfile)
class ContributorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "collectivite"]
    list_select_related = ["user", "collectivite"]
    search_fields = ["user__email", "user__last_name", "collectivite__name"]
    autocomplete_fields = ["user", "collectivite"]


@admin.register(UseCaseSlugHistory)
class UseCaseSlugHistoryAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "use_case", "created_at"]
    list_select_related = ["use_case"]
    search_fields = ["old_slug", "use_case__title"]


from . import search_admin  # noqa: E402, F401  (the search's thesaurus)
