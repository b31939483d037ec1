"""Admin of the search's thesaurus: moderators add acronyms and synonyms as they meet them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ThesaurusEntry


@admin.register(ThesaurusEntry)
class ThesaurusEntryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["expressions", "note"]
    fields = ["expressions", "note"]

    @admin.display(description=_("expressions"))
    def __str__(self, obj):
        return str(obj)
