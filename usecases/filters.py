"""The one definition of the catalogue's criteria: the HTML list, exports, API and feeds use it.

Multi-valued criteria combine with OR inside a criterion and AND across criteria. Filters
over many-to-many relations use EXISTS subqueries, so the list never needs DISTINCT.
"""

import django_filters
from django import forms
from django.core.validators import validate_slug
from django.db import models
from django.db.models import Exists, OuterRef, Value
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem

from collectivites.choices import Kind
from collectivites.models import Departement, Region

from .choices import BuildMode, Hosting, Stage
from .models import MAX_YEAR, MIN_YEAR, Technique, Theme, UseCase

SEARCH_MAX_LENGTH = 200


class Sort(models.TextChoices):
    RECENT = "recent", _("Les plus récents")
    TITLE = "titre", _("Titre (A → Z)")
    RELEVANCE = "pertinence", _("Pertinence")


def load_reference_choices():
    """Themes, techniques, régions and départements as choices, fetched in a single query."""
    rows = (
        Theme.objects.order_by()
        .values_list(Value("theme"), "slug", "name", "position", "pk")
        .union(
            Technique.objects.order_by().values_list(
                Value("technique"), "slug", "name", "position", "pk"
            ),
            Region.objects.order_by().values_list(Value("region"), "code", "name", Value(0), "pk"),
            Departement.objects.order_by().values_list(
                Value("departement"), "code", "name", Value(0), "pk"
            ),
            all=True,
        )
        .order_by()
    )
    choices = {"theme": [], "technique": [], "region": [], "departement": [], "ids": {}}
    for group, key, name, _position, pk in sorted(rows, key=lambda row: (row[3], row[2])):
        choices[group].append((key, name))
        # Filters compare ids, not slugs through a join: PostgreSQL then estimates how many
        # rows match from its statistics, and picks a plan that suits (issue #7).
        choices["ids"][(group, key)] = pk
    choices["departement"].sort()
    choices["departement"] = [(code, f"{name} ({code})") for code, name in choices["departement"]]
    return choices


class SlugListField(forms.Field):
    """Several slugs given as a repeated query parameter (?mot_cle=eau&mot_cle=energie)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [item.strip() for item in value if item.strip()]

    def validate(self, value):
        super().validate(value)
        for item in value:
            if len(item) > 100:
                raise forms.ValidationError(_("Ce mot-clé est trop long."), code="too_long")
            validate_slug(item)


class SlugListFilter(django_filters.Filter):
    field_class = SlugListField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class UseCaseFilterForm(forms.Form):
    def clean_mot_cle(self):
        slugs = self.cleaned_data.get("mot_cle") or []
        if slugs:
            known = set(Tag.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            unknown = [slug for slug in slugs if slug not in known]
            if unknown:
                raise forms.ValidationError(
                    _("Mot-clé inconnu : %(slugs)s."), params={"slugs": ", ".join(unknown)}
                )
        return slugs


def _plain_choice_filter(field_name, choices, label):
    return django_filters.MultipleChoiceFilter(
        field_name=field_name, choices=choices, label=label, distinct=False
    )


class UseCaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"), method="filter_search", max_length=SEARCH_MAX_LENGTH
    )
    theme = django_filters.MultipleChoiceFilter(choices=[], label=_("Thème"), method="filter_theme")
    region = django_filters.ChoiceFilter(
        field_name="collectivite__region__code", choices=[], label=_("Région")
    )
    departement = django_filters.ChoiceFilter(
        field_name="collectivite__departement__code", choices=[], label=_("Département")
    )
    type = _plain_choice_filter("collectivite__kind", Kind.choices, _("Type de collectivité"))
    stade = _plain_choice_filter("stage", Stage.choices, _("Stade"))
    technique = django_filters.MultipleChoiceFilter(
        choices=[], label=_("Technique d’IA"), method="filter_technique"
    )
    hebergement = _plain_choice_filter("hosting", Hosting.choices, _("Hébergement"))
    realisation = _plain_choice_filter("build_mode", BuildMode.choices, _("Mode de réalisation"))
    mot_cle = SlugListFilter(label=_("Mots-clés"), method="filter_tags")
    annee = YearFilter(
        field_name="start_year",
        label=_("Année de début"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
    )
    # « Rechercher plutôt … »: the words as typed, without the correction of misspellings.
    tel_quel = django_filters.BooleanFilter(
        label=_("Sans correction"), method="as_typed", widget=forms.HiddenInput
    )
    tri = django_filters.ChoiceFilter(
        choices=Sort.choices, label=_("Trier par"), method="sort", empty_label=None
    )

    # Criteria that are not facets.
    NON_FACETS = ("q", "tri", "tel_quel")

    class Meta:
        model = UseCase
        fields = []
        form = UseCaseFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, reference=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.reference = reference if reference is not None else load_reference_choices()
        for name in ("theme", "technique", "region", "departement"):
            self.filters[name].extra["choices"] = self.reference[name]

    @property
    def search_query(self):
        return self.form.cleaned_data.get("q", "") if self.is_bound and self.is_valid() else ""

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def _ids(self, group, keys):
        return [self.reference["ids"][(group, key)] for key in keys]

    def filter_theme(self, queryset, name, value):
        return queryset.filter(theme_id__in=self._ids("theme", value)) if value else queryset

    def filter_technique(self, queryset, name, value):
        if not value:
            return queryset
        through = UseCase.techniques.through
        ids = self._ids("technique", value)
        return queryset.filter(
            Exists(through.objects.filter(usecase_id=OuterRef("pk"), technique_id__in=ids))
        )

    def filter_tags(self, queryset, name, value):
        if not value:
            return queryset
        # Matching the content type by name avoids a ContentType query per request.
        return queryset.filter(
            Exists(
                TaggedItem.objects.filter(
                    content_type__app_label="usecases",
                    content_type__model="usecase",
                    object_id=OuterRef("pk"),
                    tag__slug__in=value,
                )
            )
        )

    def as_typed(self, queryset, name, value):
        # Read by the search (usecases.facets), which corrects misspellings unless asked not to.
        return queryset

    def sort(self, queryset, name, value):
        # Applied by filter_queryset() once every criterion is in.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return self.order(queryset)

    # Ranking reads every matching document: past this many results (a very common word) the
    # results come newest first instead, and the page says so (`ranked_by_date`).
    RANK_LIMIT = 1000
    # The number of results when the caller already knows it (the list counts it with facets).
    result_count = None

    @property
    def ranked_by_date(self):
        """True when relevance was asked for but there were too many results to rank."""
        value = self.form.cleaned_data.get("tri") or ""
        if not self.form.cleaned_data.get("q", "").strip() or value not in ("", Sort.RELEVANCE):
            return False
        if self.result_count is None:
            self.result_count = (
                self.queryset_without(None).order_by()[: self.RANK_LIMIT + 1].count()
            )
        return self.result_count > self.RANK_LIMIT

    @property
    def applied_sort(self):
        """The order the results come in: "title", "rank" or "recent"."""
        value = self.form.cleaned_data.get("tri") or ""
        searching = bool(self.form.cleaned_data.get("q", "").strip())
        if value == Sort.TITLE:
            return "title"
        if searching and value in ("", Sort.RELEVANCE) and not self.ranked_by_date:
            return "rank"
        return "recent"

    @property
    def sort_choice(self):
        """The value the sort menu shows: relevance for a search until another sort is chosen."""
        value = self.form.cleaned_data.get("tri") or ""
        searching = bool(self.form.cleaned_data.get("q", "").strip())
        if searching and value in ("", Sort.RELEVANCE):
            return Sort.RELEVANCE
        if value == Sort.TITLE:
            return Sort.TITLE
        return Sort.RECENT

    ORDERINGS = {
        "title": ("title", "pk"),
        "rank": ("-rank", "-published_at", "-pk"),
        "recent": ("-published_at", "-pk"),
    }

    def order(self, queryset):
        return queryset.order_by(*self.ORDERINGS[self.applied_sort])

    def queryset_without(self, excluded):
        """The queryset filtered by every criterion but `excluded` (None: by all of them)."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name == excluded or name == "tri":
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset
