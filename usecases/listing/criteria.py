"""The catalogue's criteria, each declared once (design note: docs/catalogue.md).

A criterion is a query parameter shared by every list of published cases: /cas-d-usage/, the
theme pages, the API, the CSV and JSON exports, the feeds, and whatever lists cases next. Its
declaration gives everything the engine needs: the form field that validates it, the SQL
filter, the value(s) of each published case kept by the in-memory index, and its facet (the
options offered with their counts). Adding a filter is one entry in CRITERIA; the facet form
(templates/usecases/includes/_filters.html) shows it without another line.

Values combine with OR inside a criterion and AND across criteria. A path that crosses a
to-many relation (techniques, tags) filters through EXISTS, so lists never need DISTINCT.
"""

from django import forms
from django.apps import apps
from django.core.validators import validate_slug
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from collectivites.choices import Kind

from ..choices import BuildMode, Hosting, Stage
from ..models import MAX_YEAR, MIN_YEAR


class Referential:
    """Choices read from a table, with the index (once per catalogue version), in one query."""

    def __init__(self, model, key="slug", position="position", show_key=False):
        self.model, self.key, self.position, self.show_key = model, key, position, show_key

    def rows(self, name):
        """(criterion, key, name, position) of every row, for the union of all referentials."""
        position = self.position or Value(0)
        model = apps.get_model(self.model)
        return model.objects.order_by().values_list(Value(name), self.key, "name", position)

    def choices(self, rows):
        """[(key, label)] from this referential's rows, in the order the form shows them."""
        if self.show_key:
            return [(key, f"{label} ({key})") for key, label, _position in sorted(rows)]
        ordered = sorted(rows, key=lambda row: (row[2], row[1]))
        return [(key, label) for key, label, _position in ordered]


class Criterion:
    """One filter: `name` is its query parameter, `path` the case's value(s) in ORM terms.

    choices: a list of (value, label), a Referential, or None (the values found in the index).
    multiple: several values allowed (checkboxes); otherwise one (a select).
    show_zero: options listed even when they would give no result (small fixed vocabularies).
    offered_with: the facet is offered only once one of these criteria (or itself) is chosen.
    label_path: where the index reads an option's label, when there are no choices.
    any_label: the empty option of a single-choice facet, agreeing with the label (« Toutes »
        for a région).
    """

    def __init__(
        self,
        name,
        label,
        path,
        *,
        choices=None,
        multiple=True,
        show_zero=False,
        offered_with=(),
        label_path=None,
        any_label=None,
    ):
        self.name, self.label, self.path = name, label, path
        self.static_choices = choices if isinstance(choices, list | tuple) else None
        self.referential = choices if isinstance(choices, Referential) else None
        self.multiple, self.show_zero = multiple, show_zero
        self.offered_with, self.label_path = tuple(offered_with), label_path
        self.any_label = any_label or _("Tous")

    @cached_property
    def many(self):
        """True when the path crosses a to-many relation: several values per case."""
        model = apps.get_model("usecases", "UseCase")
        for part in self.path.split("__")[:-1]:
            field = model._meta.get_field(part)
            if field.many_to_many or field.one_to_many:
                return True
            model = field.related_model
        return False

    # Form ---------------------------------------------------------------------------------

    def choices(self, reference):
        """The accepted values as (value, label), in the facet's order."""
        if self.static_choices is not None:
            return list(self.static_choices)
        return reference.get(self.name, [])

    def form_field(self, reference):
        choices = self.choices(reference)
        if self.multiple:
            return forms.MultipleChoiceField(label=self.label, choices=choices, required=False)
        return forms.ChoiceField(label=self.label, choices=[("", "")] + choices, required=False)

    def clean(self, values):
        """Further validation of the field's values (ValidationError), after the field's own."""
        return values

    # SQL ----------------------------------------------------------------------------------

    def filter(self, queryset, values):
        """The cases of `queryset` having one of `values` (a non-empty list)."""
        lookup = {f"{self.path}__in": values}
        if not self.many:
            return queryset.filter(**lookup)
        model = queryset.model
        return queryset.filter(Exists(model.objects.filter(pk=OuterRef("pk"), **lookup)))

    # Index --------------------------------------------------------------------------------

    def index_rows(self, published):
        """Querysets of (pk, criterion, value, label), one row per published case and value
        (to-many paths); a case may come twice with the same value."""
        label = self.label_path or Value("")
        return [
            published.order_by()
            .filter(**{f"{self.path}__isnull": False})
            .values_list("pk", Value(self.name), self.path, label)
        ]

    # Facet --------------------------------------------------------------------------------

    def facet_choices(self, counts, selected, reference, labels):
        """The (value, label) options the facet lists, before zero counts are dropped."""
        return self.choices(reference)


class PlaceCriterion(Criterion):
    """A place (région, département) where a case is led or partnered: the lead collectivité's
    or any partner's, so that the list filtered on a département counts what the map shows."""

    def __init__(self, name, label, path, *, label_field=None, **kwargs):
        super().__init__(name, label, f"collectivite__{path}", **kwargs)
        self.partner_path = f"partners__{path}"
        self.label_field = label_field

    @cached_property
    def many(self):
        return True

    def filter(self, queryset, values):
        partnered = queryset.model.objects.filter(
            pk=OuterRef("pk"), **{f"{self.partner_path}__in": values}
        )
        return queryset.filter(Q(**{f"{self.path}__in": values}) | Exists(partnered))

    def index_rows(self, published):
        rows = []
        for who, path in (("collectivite", self.path), ("partners", self.partner_path)):
            label = f"{who}__{self.label_field}" if self.label_field else Value("")
            rows.append(
                published.order_by()
                .filter(**{f"{path}__isnull": False})
                .values_list("pk", Value(self.name), path, label)
            )
        return rows


class CollectiviteCriterion(PlaceCriterion):
    """One collectivité, leading or partner: the list behind a collectivité's page (its
    exports, alerts and widget). Not a facet of the form: shown, with its name, only once
    chosen, so that it can be removed like any other criterion."""

    def form_field(self, reference):
        return forms.SlugField(label=self.label, max_length=220, required=False)

    def clean(self, values):
        if values:
            model = apps.get_model("collectivites", "Collectivite")
            if not model.objects.filter(slug=values).exists():
                raise forms.ValidationError(
                    _("Collectivité inconnue : %(slug)s."), params={"slug": values}
                )
        return values

    def facet_choices(self, counts, selected, reference, labels):
        return [(value, labels.get(value, value)) for value in selected]


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


class TagCriterion(Criterion):
    """Tags: any existing tag is accepted; the facet lists the most used ones only."""

    # Each option weighs on every list page (EcoIndex grade A, docs/ecoconception.md).
    MAX_OPTIONS = 12

    def form_field(self, reference):
        return SlugListField(label=self.label, required=False)

    def clean(self, values):
        if values:
            known = set(Tag.objects.filter(slug__in=values).values_list("slug", flat=True))
            unknown = [slug for slug in values if slug not in known]
            if unknown:
                raise forms.ValidationError(
                    _("Mot-clé inconnu : %(slugs)s."), params={"slugs": ", ".join(unknown)}
                )
        return values

    def facet_choices(self, counts, selected, reference, labels):
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        keep = {value for value, _count in ranked[: self.MAX_OPTIONS]} | set(selected)
        options = ((value, labels.get(value, value)) for value in keep)
        return sorted(options, key=lambda option: option[1].lower())


class YearCriterion(Criterion):
    """A year: one value between MIN_YEAR and MAX_YEAR; the facet lists the years found."""

    def form_field(self, reference):
        return forms.IntegerField(
            label=self.label, min_value=MIN_YEAR, max_value=MAX_YEAR, required=False
        )

    def facet_choices(self, counts, selected, reference, labels):
        return [(year, year) for year in sorted(counts, reverse=True)]


# Population bands of the lead collectivité, in inhabitants (lower bound included). They follow the
# thresholds that change what a French commune has to do and can do:
# - under 1,000: seven communes in ten, typically a secretary and no IT staff of their own;
# - 3,500: open data becomes compulsory (with 50 agents, loi pour une République numérique) and
#   so does the budget orientation debate: a commune starts to have an administration;
# - 10,000 and 50,000: the DGCL's size classes (strates) for comparing communes, and the sizes
#   from which a town has an IT department (10,000) and a data or digital team (50,000);
# - over 200,000: the large cities, départements, métropoles and régions.
POPULATION_BANDS = [
    ("moins-de-1000", _("Moins de 1\u00a0000 habitants"), 0, 1_000),
    ("1000-3500", _("De 1\u00a0000 à 3\u00a0499 habitants"), 1_000, 3_500),
    ("3500-10000", _("De 3\u00a0500 à 9\u00a0999 habitants"), 3_500, 10_000),
    ("10000-50000", _("De 10\u00a0000 à 49\u00a0999 habitants"), 10_000, 50_000),
    ("50000-200000", _("De 50\u00a0000 à 199\u00a0999 habitants"), 50_000, 200_000),
    ("plus-de-200000", _("200\u00a0000 habitants et plus"), 200_000, None),
]


def population_band(population):
    """The band's value of a population (None when unknown), as the criterion files it."""
    if population is None:
        return None
    for value, _label, low, high in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return value
    return None


class PopulationCriterion(Criterion):
    """The lead collectivité's population, by band (a collectivité without one is in none)."""

    many = True  # Its index rows come from index_rows(): a band is not a column.

    def __init__(self, name, label, path, **kwargs):
        choices = [(value, label) for value, label, _low, _high in POPULATION_BANDS]
        super().__init__(name, label, path, choices=choices, **kwargs)

    def _condition(self, low, high):
        condition = Q(**{f"{self.path}__gte": low})
        if high is not None:
            condition &= Q(**{f"{self.path}__lt": high})
        return condition

    def filter(self, queryset, values):
        condition = Q()
        for value, _label, low, high in POPULATION_BANDS:
            if value in values:
                condition |= self._condition(low, high)
        return queryset.filter(condition)

    def index_rows(self, published):
        band = Case(
            *(
                When(self._condition(low, high), then=Value(value))
                for value, _label, low, high in POPULATION_BANDS
            ),
            default=None,
            output_field=CharField(),
        )
        return [
            published.order_by()
            .filter(**{f"{self.path}__isnull": False})
            .values_list("pk", Value(self.name), band, Value(""))
        ]


def _pooled():
    """Cases carried for or with other collectivités: declared open, or with partners."""
    model = apps.get_model("usecases", "UseCase")
    partners = model.partners.through.objects.filter(usecase_id=OuterRef("pk"))
    return Q(open_to_others=True) | Exists(partners)


class PooledCriterion(Criterion):
    """« Mutualisé » : what a small commune can join or take up rather than build alone."""

    many = True  # Its index rows come from index_rows(): the value is not a column.

    def filter(self, queryset, values):
        return queryset.filter(_pooled())

    def index_rows(self, published):
        return [
            published.order_by()
            .filter(_pooled())
            .values_list("pk", Value(self.name), Value("oui"), Value(""))
        ]


class SolutionReferential(Referential):
    """The solutions (usecases.mutualisation) that at least one published case relies on."""

    def __init__(self):
        super().__init__("reuse.Solution", position=None)

    def rows(self, name):
        from ..choices import Status

        model = apps.get_model(self.model)
        published = model.use_cases.through.objects.filter(
            solution=OuterRef("pk"), usecase__status=Status.PUBLISHED
        )
        return super().rows(name).filter(Exists(published))


class SolutionCriterion(Criterion):
    """A solution, by its slug (a select): the facet lists the most used ones only."""

    # Each option weighs on every list page (EcoIndex grade A, docs/ecoconception.md).
    MAX_OPTIONS = 12

    def facet_choices(self, counts, selected, reference, labels):
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        keep = {value for value, _count in ranked[: self.MAX_OPTIONS]} | set(selected)
        return [(value, label) for value, label in self.choices(reference) if value in keep]


def reused_elsewhere():
    """The outer case has a visible « nous l’avons aussi mis en place » declaration."""
    from ..mutualisation.choices import ReuseKind

    declarations = apps.get_model("reuse", "ReuseDeclaration").objects
    return Exists(
        declarations.filter(use_case=OuterRef("pk"), kind=ReuseKind.ADOPTED, hidden_at__isnull=True)
    )


class ReusedCriterion(Criterion):
    """« Déjà repris ailleurs »: another collectivité declared it runs the case too."""

    many = True  # Its index rows come from index_rows(), not from a column.
    VALUE = "oui"

    def filter(self, queryset, values):
        return queryset.filter(reused_elsewhere())

    def index_rows(self, published):
        return [
            published.order_by()
            .filter(reused_elsewhere())
            .values_list("pk", Value(self.name), Value(self.VALUE), Value(""))
        ]


CRITERIA = [
    Criterion(
        "theme",
        _("Thème"),
        "theme__slug",
        choices=Referential("usecases.Theme"),
        show_zero=True,
    ),
    PlaceCriterion(
        "region",
        _("Région"),
        "region__code",
        choices=Referential("collectivites.Region", key="code", position=None),
        multiple=False,
        any_label=_("Toutes"),
    ),
    # A hundred options: offered once a région is chosen, to keep the page light.
    PlaceCriterion(
        "departement",
        _("Département"),
        "departement__code",
        choices=Referential("collectivites.Departement", key="code", position=None, show_key=True),
        multiple=False,
        offered_with=("region",),
    ),
    Criterion(
        "type",
        _("Type de collectivité"),
        "collectivite__kind",
        choices=Kind.choices,
        show_zero=True,
    ),
    PopulationCriterion("population", _("Population"), "collectivite__population", show_zero=True),
    PooledCriterion(
        "mutualise",
        _("Mutualisation"),
        "open_to_others",
        choices=[("oui", _("Mutualisé ou ouvert à d’autres collectivités"))],
        show_zero=True,
    ),
    # Next to « Mutualisation », and offered once it is chosen: the list page has no room for
    # one more fieldset within EcoIndex A (solution and collectivité pages link to ?repris=oui).
    ReusedCriterion(
        "repris",
        _("Reprises"),
        "reuse_declarations",
        choices=[(ReusedCriterion.VALUE, _("Déjà repris ailleurs"))],
        offered_with=("mutualise",),
    ),
    Criterion("stade", _("Stade"), "stage", choices=Stage.choices, show_zero=True),
    Criterion(
        "technique",
        _("Technique d’IA"),
        "techniques__slug",
        choices=Referential("usecases.Technique"),
        show_zero=True,
    ),
    Criterion("hebergement", _("Hébergement"), "hosting", choices=Hosting.choices, show_zero=True),
    Criterion(
        "realisation",
        _("Mode de réalisation"),
        "build_mode",
        choices=BuildMode.choices,
        show_zero=True,
    ),
    TagCriterion("mot_cle", _("Mots-clés"), "tags__slug", label_path="tags__name"),
    # Up to a dozen options: offered once a build mode is chosen, to keep the page light
    # (EcoIndex A); solution pages link to the list filtered on them.
    SolutionCriterion(
        "solution",
        _("Solution"),
        "solutions__slug",
        choices=SolutionReferential(),
        multiple=False,
        offered_with=("realisation",),
    ),
    YearCriterion(
        "annee", _("Année de début"), "start_year", multiple=False, any_label=_("Toutes")
    ),
    # Offered only once chosen: from a collectivité's page, never in the form's options.
    CollectiviteCriterion(
        "collectivite",
        _("Collectivité"),
        "slug",
        label_field="name",
        multiple=False,
        offered_with=("collectivite",),
        any_label=_("Toutes"),
    ),
]
CRITERIA_BY_NAME = {criterion.name: criterion for criterion in CRITERIA}


def load_reference(criteria=CRITERIA):
    """{criterion: [(value, label)]} of the criteria whose choices are tables, in one query."""
    with_tables = [criterion for criterion in criteria if criterion.referential]
    if not with_tables:
        return {}
    first, *others = (criterion.referential.rows(criterion.name) for criterion in with_tables)
    rows = {criterion.name: [] for criterion in with_tables}
    for name, key, label, position in first.union(*others, all=True).order_by():
        rows[name].append((key, label, position))
    return {
        criterion.name: criterion.referential.choices(rows[criterion.name])
        for criterion in with_tables
    }
