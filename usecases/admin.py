from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from collectivites.models import Collectivite

from . import diff, review, services
from .choices import ReportState, Status
from .forms import (
    SECTIONS,
    ArchiveForm,
    DecisionForm,
    ReportForm,
    ReportMessageForm,
    ResourceAdminForm,
    UseCaseEditForm,
)
from .forms.key_figures import KEY_FIGURE_FIELDS, KEY_FIGURE_SLOTS
from .models import (
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
from .mutualisation.forms import SOLUTION_FIELDS
from .templatetags.moderation import person


class FrenchTitlesMixin:
    """Titles of our own instead of Django's « Sélectionnez l’objet … à changer »."""

    changelist_title = None

    def changelist_view(self, request, extra_context=None):
        if self.changelist_title:
            extra_context = {"title": self.changelist_title, **(extra_context or {})}
        return super().changelist_view(request, extra_context)


class PageMixin:
    """Our own admin pages: the object they are about, and the context Django's pages have."""

    def page_context(self, request, **context):
        return {**self.admin_site.each_context(request), "opts": self.opts, **context}

    def allowed_object(self, request, object_id, queryset, allowed):
        """The object `object_id` of `queryset` (404 when absent or not a number), if
        `allowed(request, obj)` (403 otherwise)."""
        if not str(object_id).isdigit():
            raise Http404
        obj = get_object_or_404(queryset, pk=object_id)
        if not allowed(request, obj):
            raise PermissionDenied
        return obj


def log_decision(request, use_case, message):
    """A decision in the admin's « Actions récentes », against the sheet itself."""
    LogEntry.objects.log_actions(
        request.user.pk, [UseCase(pk=use_case.pk, title=use_case.title)], CHANGE, message
    )


def sheet_link(use_case):
    """The public sheet if published, else its admin page: what a confirmation links to."""
    if use_case.status == Status.PUBLISHED:
        return use_case.get_absolute_url()
    return reverse("admin:usecases_usecase_change", args=[use_case.pk])


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


class ResourceInline(admin.StackedInline):
    model = Resource
    form = ResourceAdminForm
    extra = 0


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


class CollectiviteFilter(admin.SimpleListFilter):
    """Sheets of a collectivité, as lead or partner: the most frequent ones, and the chosen one
    (reached from the collectivité's own admin page)."""

    title = _("collectivité")
    parameter_name = "collectivite"
    SHOWN = 15

    def lookups(self, request, model_admin):
        frequent = (
            Collectivite.objects.annotate(
                sheets=Count("use_cases", filter=~Q(use_cases__status=Status.DRAFT))
            )
            .filter(sheets__gt=0)
            .order_by("-sheets", "name")
            .values_list("pk", "name")[: self.SHOWN]
        )
        choices = [(str(pk), name) for pk, name in frequent]
        chosen = self.value()
        if chosen and chosen.isdigit() and chosen not in dict(choices):
            found = Collectivite.objects.filter(pk=chosen).values_list("pk", "name").first()
            if found:
                choices.insert(0, (str(found[0]), found[1]))
        return choices

    def queryset(self, request, queryset):
        chosen = self.value()
        if not chosen:
            return queryset
        if not chosen.isdigit():
            return queryset.none()
        partner_of = UseCase.partners.through.objects.filter(collectivite_id=chosen)
        return queryset.filter(
            Q(collectivite_id=chosen) | Q(pk__in=partner_of.values("usecase_id"))
        )


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


class ReportStateFilter(admin.SimpleListFilter):
    """Reports « à traiter » (new or in progress) by default."""

    title = _("état")
    parameter_name = "etat"
    TO_HANDLE, ALL = "a_traiter", "tous"

    def lookups(self, request, model_admin):
        return [
            (self.TO_HANDLE, _("À traiter (nouveaux et en cours)")),
            *[(state.value, state.label) for state in ReportState],
            (self.ALL, _("Tous")),
        ]

    def value(self):
        return super().value() or self.TO_HANDLE

    choices = RevisionStatusFilter.choices

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        if self.value() == self.TO_HANDLE:
            return queryset.exclude(state=ReportState.HANDLED)
        return queryset.filter(state=self.value())


class UseCaseSearchMixin:
    """The moderators' search: words of the sheet without accents, official codes, names."""

    search_fields = ["title"]  # shows the search box; the search itself is below
    use_case_path = None  # "use_case" when the model points at a case

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = UseCase.objects.admin_search(search_term)
        if self.use_case_path:
            return queryset.filter(**{f"{self.use_case_path}__in": found}), False
        return queryset.filter(pk__in=found), False


@admin.register(UseCase)
class UseCaseAdmin(PageMixin, UseCaseSearchMixin, FrenchTitlesMixin, admin.ModelAdmin):
    form = UseCaseEditForm
    changelist_title = _("Toutes les fiches (hors brouillons)")
    list_display = ["title", "collectivite", "status", "author_name", "published_at"]
    list_filter = [
        SentStatusFilter,
        CollectiviteFilter,
        ("collectivite__departement", admin.RelatedOnlyFieldListFilter),
        "theme",
        "stage",
        "hosting",
        "build_mode",
        "techniques",
    ]
    list_select_related = ["collectivite", "author"]
    autocomplete_fields = ["collectivite", "partners", "author"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [KeyFigureInline, ResourceInline]
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
                    "open_to_others",
                    "theme",
                    "tags",
                    "edited_from",
                ]
            },
        ),
        # The solutions are linked from the solution's own admin page, not from this form.
        # The other sections of the sheet, as the contributor's form shows them; the key
        # figures are edited in their inline here, not as the form's flat fields.
        *(
            (title, {"fields": [name for name in names if name not in SOLUTION_FIELDS]})
            for title, names in SECTIONS[1:]
            if names is not KEY_FIGURE_FIELDS
        ),
        (
            _("Publication"),
            {"fields": ["status", "author", "published_at", "created_at", "updated_at"]},
        ),
        (
            _("Prévenir la personne qui a contribué"),
            {
                "fields": ["notify_contributor", "edit_message"],
                "description": _(
                    "La modification est inscrite dans l’historique de la fiche ; cochez pour "
                    "l’annoncer aussi par courriel, avec la liste des champs modifiés."
                ),
            },
        ),
    ]

    class Media:
        js = ["js/admin-labels.js"]

    @admin.display(description=_("contribution de"), ordering="author__last_name")
    def author_name(self, obj):
        return person(obj.author)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Seven techniques read best as checkboxes (the admin's two-list widget fails axe).
        if db_field.name == "techniques":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        # A draft never sent is its contributor's alone, on every admin page.
        return super().get_queryset(request).sent_for_review()

    def get_urls(self):
        return [
            path(
                "<path:object_id>/archiver/",
                self.admin_site.admin_view(self.archive_view),
                name="usecases_usecase_archive",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        events = ModerationEvent.objects.with_names().filter(use_case_id=object_id)
        extra_context = {
            "events": list(events) if object_id.isdigit() else [],
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        """One history per sheet: the moderation events, direct edits included."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        context = self.page_context(
            request,
            object=obj,
            title=_("Historique de « %(title)s »") % {"title": obj.title},
            events=ModerationEvent.objects.with_names().filter(use_case=obj),
        )
        return TemplateResponse(request, "admin/usecases/usecase/object_history.html", context)

    def archive_view(self, request, object_id):
        """Archive one sheet, with a reason sent to its contributor."""
        use_case = self.get_object(request, object_id)
        if use_case is None:
            raise Http404
        if not self.has_change_permission(request, use_case):
            raise PermissionDenied
        form = ArchiveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                services.use_case_archive(use_case=use_case, moderator=request.user, message=reason)
            except services.TransitionError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self._archived(request, use_case, reason)
            return redirect("admin:usecases_usecase_change", use_case.pk)
        context = self.page_context(
            request,
            use_case=use_case,
            form=form,
            open_revision=use_case.revisions.open().first(),
            title=_("Archiver « %(title)s »") % {"title": use_case.title},
        )
        return TemplateResponse(request, "admin/usecases/archive.html", context)

    def _archived(self, request, use_case, reason):
        """Log the archiving and confirm it, linking the sheet's admin page."""
        log_decision(request, use_case, gettext("Archivée : %(reason)s") % {"reason": reason})
        self.message_user(
            request,
            format_html(
                gettext(
                    'La fiche <a href="{}">« {} »</a> est archivée ; la personne qui '
                    "a contribué a reçu la raison par courriel."
                ),
                reverse("admin:usecases_usecase_change", args=[use_case.pk]),
                use_case.title,
            ),
            messages.SUCCESS,
        )

    @admin.action(description=_("Publier les fiches sélectionnées"))
    def publish(self, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        done = 0
        for use_case in queryset:
            try:
                services.use_case_publish(use_case=use_case, moderator=request.user)
            except services.TransitionError as error:
                self.message_user(request, f"« {use_case} » : {error}", messages.WARNING)
            else:
                log_decision(request, use_case, gettext("Publiée"))
                done += 1
        if done:
            self.message_user(
                request,
                _("%(count)d fiche(s) publiée(s).") % {"count": done},
                messages.SUCCESS,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Tags and partners are saved only now: the search index must see them.
        UseCase.objects.filter(pk=form.instance.pk).refresh_search_index()
        if not change:
            return
        fields = form.content_changes() + [
            formset.model._meta.model_name for formset in formsets if formset.has_changed()
        ]
        services.use_case_record_edit(
            use_case=form.instance,
            moderator=request.user,
            fields=fields,
            message=form.cleaned_data.get("edit_message", ""),
            notify=form.cleaned_data.get("notify_contributor", False),
        )


@admin.register(Resource)
class ResourceAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    form = ResourceAdminForm
    changelist_title = _("Ressources des fiches")
    list_display = ["title", "kind", "use_case"]
    list_filter = ["kind"]
    list_select_related = ["use_case"]
    search_fields = ["title", "use_case__title"]
    autocomplete_fields = ["use_case"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(use_case__status=Status.DRAFT)


class ModerationViewMixin(PageMixin, UseCaseSearchMixin, FrenchTitlesMixin):
    """A change page that is the review screen: the sheet, checks, history and decision."""

    decision_template = "admin/usecases/review.html"
    is_update = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def decide(self, request, obj, decision, message):
        raise NotImplementedError

    def review_context(self, obj):
        raise NotImplementedError

    def use_case_of(self, obj):
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.allowed_object(
            request, object_id, self.get_queryset(request), self.has_change_permission
        )
        form = DecisionForm(request.POST or None, is_update=self.is_update)
        if request.method == "POST" and form.is_valid():
            return self._decision_made(request, obj, form)
        context = self.page_context(request, original=obj, form=form, **self.review_context(obj))
        return TemplateResponse(
            request, self.decision_template, context, status=400 if form.errors else 200
        )

    def _decision_made(self, request, obj, form):
        """Apply a valid decision, log and confirm it; back to the queue (or to the review
        screen, with the error, when the case changed state meanwhile)."""
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
        use_case = self.use_case_of(obj)
        try:
            self.decide(request, obj, decision, message)
        except services.TransitionError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(request.path)
        use_case.refresh_from_db()
        label = dict(form.fields["decision"].choices)[decision]
        log_decision(
            request, use_case, f"{label}{' : ' + message.strip() if message.strip() else ''}"
        )
        self.message_user(
            request,
            format_html(
                gettext(
                    'Décision « {} » enregistrée pour <a href="{}">« {} »</a> ; la personne '
                    "qui a contribué en est informée par courriel."
                ),
                label,
                sheet_link(use_case),
                use_case.title,
            ),
            messages.SUCCESS,
        )
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))


@admin.register(Submission)
class SubmissionAdmin(ModerationViewMixin, admin.ModelAdmin):
    """The queue of cases awaiting review, oldest first."""

    changelist_title = _("Fiches à modérer, la plus ancienne d’abord")
    list_display = ["title", "collectivite", "author_name", "updated_at", "resubmitted"]
    list_select_related = ["collectivite", "author"]
    list_filter = [CollectiviteFilter]

    @admin.display(description=_("contribution de"))
    def author_name(self, obj):
        return person(obj.author)

    @admin.display(description=_("renvoyée après modifications"), boolean=True)
    def resubmitted(self, obj):
        return obj.was_sent_back

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Status.SUBMITTED)
            .annotate(
                was_sent_back=Exists(
                    ModerationEvent.objects.filter(
                        use_case=OuterRef("pk"),
                        to_status=Status.CHANGES_REQUESTED,
                        revision__isnull=True,
                    )
                )
            )
            .order_by("updated_at")
        )

    def review_context(self, obj):
        use_case = (
            UseCase.objects.select_related("collectivite__departement", "theme", "author")
            .prefetch_related("techniques", "tags", "resources", "key_figures", "partners")
            .get(pk=obj.pk)
        )
        return {
            "title": _("Relire « %(title)s »") % {"title": use_case.title},
            "use_case": use_case,
            "sheet": use_case,
            "checks": review.checklist(use_case),
            "events": ModerationEvent.objects.with_names().filter(use_case=use_case),
            "since_request": services.changes_since_request(use_case),
        }

    def decide(self, request, obj, decision, message):
        services.use_case_decide(
            use_case=obj, decision=decision, moderator=request.user, message=message
        )


@admin.register(UseCaseRevision)
class UseCaseRevisionAdmin(ModerationViewMixin, admin.ModelAdmin):
    """Updates of published cases, « En revue » first and oldest first, with what they change."""

    changelist_title = _("Mises à jour proposées")
    is_update = True
    use_case_path = "use_case"
    list_display = ["use_case", "collectivite", "author_name", "status", "submitted_at"]
    list_filter = [RevisionStatusFilter]
    list_select_related = ["use_case__collectivite", "author"]

    @admin.display(description=_("collectivité"), ordering="use_case__collectivite__name")
    def collectivite(self, obj):
        return obj.use_case.collectivite

    @admin.display(description=_("proposée par"))
    def author_name(self, obj):
        return person(obj.author)

    def use_case_of(self, obj):
        return obj.use_case

    def get_queryset(self, request):
        # An update exists for the moderators once sent: a saved, unsent one is private.
        return (
            super()
            .get_queryset(request)
            .exclude(status=Status.DRAFT)
            .order_by("submitted_at", "pk")
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/apercu/",
                self.admin_site.admin_view(self.preview_view),
                name="usecases_usecaserevision_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The sheet as it would read with the update accepted."""
        revision = self.allowed_object(
            request, object_id, self.get_queryset(request), self.has_view_or_change_permission
        )
        context = self.page_context(
            request,
            revision=revision,
            sheet=diff.ProposedSheet(revision.use_case, revision.data),
            title=_("Aperçu de la mise à jour de « %(title)s »")
            % {"title": revision.use_case.title},
        )
        return TemplateResponse(request, "admin/usecases/preview.html", context)

    def review_context(self, obj):
        use_case = obj.use_case
        sheet = diff.ProposedSheet(use_case, obj.data)
        return {
            "title": _("Relire la mise à jour de « %(title)s »") % {"title": use_case.title},
            "use_case": use_case,
            "revision": obj,
            "sheet": sheet,
            "changes": services.revision_changes(obj),
            "checks": review.checklist(sheet),
            "events": ModerationEvent.objects.with_names().filter(use_case=use_case),
            "since_request": services.changes_since_request(use_case, revision=obj),
            "preview_url": reverse("admin:usecases_usecaserevision_preview", args=[obj.pk]),
        }

    def decide(self, request, obj, decision, message):
        services.revision_decide(
            revision=obj, decision=decision, moderator=request.user, message=message
        )


@admin.register(ModerationEvent)
class ModerationEventAdmin(UseCaseSearchMixin, FrenchTitlesMixin, admin.ModelAdmin):
    changelist_title = _("Historique de modération, le plus récent d’abord")
    use_case_path = "use_case"
    list_display = ["created_at", "use_case", "actor_name", "what"]
    list_filter = ["to_status"]
    list_select_related = ["use_case", "actor"]

    @admin.display(description=_("par"))
    def actor_name(self, obj):
        return person(obj.actor)

    @admin.display(description=_("quoi"))
    def what(self, obj):
        if obj.is_edit:
            labels = ", ".join(diff.label(name) for name in obj.changed_fields)
            return gettext("Modification directe (%(fields)s)") % {"fields": labels}
        return str(obj)

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found |= queryset.filter(message__icontains=search_term.strip())
        return found, duplicates

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErrorReport)
class ErrorReportAdmin(PageMixin, UseCaseSearchMixin, FrenchTitlesMixin, admin.ModelAdmin):
    """Reports as a small workflow: read, note, answer the reporter, forward to the contributor."""

    changelist_title = _("Signalements, le plus ancien d’abord")
    use_case_path = "use_case"
    list_display = ["created_at", "sheet", "excerpt", "state", "can_answer"]
    list_display_links = ["created_at", "excerpt"]
    list_filter = [ReportStateFilter]
    list_select_related = ["use_case"]
    ordering = ["created_at"]

    @admin.display(description=_("fiche"), ordering="use_case__title")
    def sheet(self, obj):
        return format_html('<a href="{}">{}</a>', obj.use_case.get_absolute_url(), obj.use_case)

    @admin.display(description=_("message"))
    def excerpt(self, obj):
        text = " ".join(obj.message.split())
        return text if len(text) <= 160 else f"{text[:159]}…"

    @admin.display(description=_("adresse pour répondre"), boolean=True)
    def can_answer(self, obj):
        return bool(obj.email)

    def has_add_permission(self, request):
        return False

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found |= queryset.filter(message__icontains=search_term.strip())
        return found, duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        reports = self.get_queryset(request).select_related("use_case__author")
        report = self.allowed_object(request, object_id, reports, self.has_change_permission)
        action = request.POST.get("action") if request.method == "POST" else None
        forms = self._forms(request, report, action)
        bound = forms.get(action)
        if bound is not None and bound.is_valid():
            try:
                done = self._handle(request, report, action, bound)
            except services.TransitionError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                LogEntry.objects.log_actions(request.user.pk, [report], CHANGE, done)
                self.message_user(request, done, messages.SUCCESS)
                return redirect(request.path)
        context = self.page_context(
            request,
            original=report,
            report=report,
            use_case=report.use_case,
            title=_("Signalement sur « %(title)s »") % {"title": report.use_case.title},
            form=forms["save"],
            reply_form=forms["reply"],
            forward_form=forms["forward"],
        )
        status = 400 if bound is not None and bound.errors else 200
        return TemplateResponse(
            request, "admin/usecases/errorreport/handle.html", context, status=status
        )

    @staticmethod
    def _forms(request, report, action):
        """{action: form}: the report's follow-up, a reply to its sender, a message to the
        contributor; only the one of the posted action is bound."""

        def data(name):
            return request.POST if action == name else None

        return {
            "save": ReportForm(data("save"), instance=report),
            "reply": ReportMessageForm(
                data("reply"),
                prefix="reponse",
                label=_("Votre réponse"),
                help_text=_("Envoyée à %(email)s ; une réponse de sa part vous reviendra.")
                % {"email": report.email},
            ),
            "forward": ReportMessageForm(
                data("forward"),
                prefix="transmettre",
                label=_("Votre message"),
                help_text=_(
                    "Envoyé avec le signalement, sans l’adresse de la personne qui l’a fait."
                ),
            ),
        }

    def _handle(self, request, report, action, form):
        if action == "save":
            services.report_update(
                report=report,
                by=request.user,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["internal_note"],
            )
            return gettext("Suivi du signalement enregistré.")
        message = form.cleaned_data["message"]
        if action == "reply":
            services.report_reply(report=report, by=request.user, message=message)
            return gettext("Réponse envoyée à %(email)s.") % {"email": report.email}
        services.report_forward(report=report, by=request.user, message=message)
        return gettext("Signalement transmis à %(name)s.") % {
            "name": person(report.use_case.author)
        }


@admin.register(UseCaseSlugHistory)
class UseCaseSlugHistoryAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "use_case", "created_at"]
    list_select_related = ["use_case"]
    search_fields = ["old_slug", "use_case__title"]


from . import search_admin  # noqa: E402, F401  (the search's thesaurus)
