from django.contrib import admin, messages
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import rules, services
from .models import ReviewConfirmation, ReviewReminder, SheetToRefresh


@admin.register(SheetToRefresh)
class SheetToRefreshAdmin(admin.ModelAdmin):
    """« À actualiser »: published sheets past their review date, the oldest first."""

    list_display = ["title", "collectivite", "shown_information_date", "last_reminder", "stale"]
    list_select_related = ["collectivite", "author"]
    search_fields = ["title", "collectivite__name"]
    actions = ["remind"]
    list_display_links = None

    def get_queryset(self, request):
        return (
            services.due_for_review(timezone.now())
            .annotate(last_reminder_at=Max("review_reminders__sent_at"))
            .select_related("collectivite", "author")
        )

    def get_ordering(self, request):
        return [rules.INFORMATION_DATE.asc(), "pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("usecases.change_usecase")

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("informations à jour au"))
    def shown_information_date(self, obj):
        return obj.information_date

    @admin.display(description=_("dernier rappel"))
    def last_reminder(self, obj):
        return obj.last_reminder_at

    @admin.display(description=_("signalée comme ancienne (18 mois)"), boolean=True)
    def stale(self, obj):
        return obj.information_date < rules.stale_before(timezone.now())

    @admin.action(
        description=_("Envoyer le rappel « Toujours à jour » (à la personne qui a contribué)")
    )
    def remind(self, request, queryset):
        now = timezone.now()
        sent = sum(
            services.send_reminder(use_case, now=now, manual=True) is not None
            for use_case in queryset.select_related("author")
        )
        self.message_user(
            request,
            ngettext("%(count)d rappel envoyé.", "%(count)d rappels envoyés.", max(sent, 1))
            % {"count": sent},
            messages.SUCCESS,
        )


@admin.register(ReviewReminder)
class ReviewReminderAdmin(admin.ModelAdmin):
    list_display = ["use_case", "information_date", "sent_at", "recipient_count", "manual"]
    list_select_related = ["use_case"]
    readonly_fields = [field.name for field in ReviewReminder._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ReviewConfirmation)
class ReviewConfirmationAdmin(admin.ModelAdmin):
    list_display = ["use_case", "confirmed_at", "confirmed_by"]
    list_select_related = ["use_case", "confirmed_by"]
    readonly_fields = [field.name for field in ReviewConfirmation._meta.fields]

    def has_add_permission(self, request):
        return False
