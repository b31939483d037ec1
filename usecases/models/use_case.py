"""The use case itself, its queryset, its former slugs and its key figures."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.managers import TaggableManager

from bibliotheque.text import normalize, normalize_words
from collectivites.models import Collectivite, Departement

from .. import search
from ..choices import (
    BuildMode,
    CostRange,
    DataInEU,
    Hosting,
    HumanOversight,
    ImpactAssessment,
    PersonalData,
    RiskLevel,
    Stage,
    Status,
)
from ..mutualisation.choices import ReuseKind
from .vocabulary import Technique, Theme

MIN_YEAR = 1990
MAX_YEAR = 2100

# A transparency field that is null or holds one of these is « not documented ».
MISSING_VALUES = ("", Hosting.UNKNOWN)


@dataclass(frozen=True)
class TransparencyCriterion:
    field: str
    label: str
    choices: bool = False
    # Sentences for coded values whose label alone reads badly after the criterion's name.
    in_words: dict = dataclass_field(default_factory=dict)
    # The sheet's section that shows the value (anchor, heading): the panel links to it.
    section: tuple = ()


@dataclass(frozen=True)
class TransparencyItem:
    label: str
    value: str
    section: tuple = ()


# The criteria of the public algorithm registers that a sheet documents, in panel order.
TRANSPARENCY_CRITERIA = (
    TransparencyCriterion("human_oversight", _("Supervision humaine"), choices=True),
    TransparencyCriterion(
        "personal_data",
        _("Données personnelles traitées"),
        in_words={
            PersonalData.NONE: _("Non, aucune donnée personnelle"),
            PersonalData.YES: _("Oui"),
            PersonalData.SENSITIVE: _("Oui, dont des données sensibles (article 9 du RGPD)"),
        },
    ),
    TransparencyCriterion("impact_assessment", _("Analyse d’impact (AIPD)"), choices=True),
    TransparencyCriterion(
        "ai_act_risk", _("Niveau de risque (règlement européen sur l’IA)"), choices=True
    ),
    TransparencyCriterion(
        "hosting",
        _("Hébergement"),
        choices=True,
        section=("realisation", _("Réalisation et hébergement")),
    ),
    TransparencyCriterion(
        "data_used", _("Données utilisées"), section=("ia-donnees", _("L’IA et les données"))
    ),
    TransparencyCriterion("environmental_footprint", _("Impact environnemental et frugalité")),
    TransparencyCriterion(
        "lessons_learned",
        _("Enseignements"),
        section=("enseignements", _("Enseignements et difficultés")),
    ),
)


def transparency_documented_count():
    """SQL: how many transparency criteria a row documents (for cards, without the texts)."""
    return sum(
        (
            Case(
                When(
                    Q(**{f"{c.field}__in": MISSING_VALUES}) | Q(**{f"{c.field}__isnull": True}),
                    then=0,
                ),
                default=1,
            )
            for c in TRANSPARENCY_CRITERIA
        ),
        Value(0),
    )


# The columns of a card (templates/usecases/includes/_usecase_card.html) and of a feed item.
CARD_FIELDS = [
    "title",
    "slug",
    "summary",
    "stage",
    "published_at",
    "updated_at",
    "collectivite__name",
    "theme__name",
]


PUBLISHED = Q(status=Status.PUBLISHED)


def published_count(field):
    """The number of published cases whose `field` (a foreign key) is the row, as an annotation.

    `Theme.objects.annotate(published_count=published_count("theme"))`, `"collectivite"` for a
    collectivité's own cases. A subquery per row: a page of 20 rows counts for those 20 only.
    """
    cases = UseCase.objects.filter(PUBLISHED, **{field: models.OuterRef("pk")}).order_by()
    counts = cases.values(field).annotate(count=models.Count("pk")).values("count")
    return Coalesce(models.Subquery(counts), 0)


def departements_named(term):
    """Départements whose code is `term` or whose name contains it, accents aside."""
    wanted = normalize(term)
    if len(wanted) < 3 and not term.isalnum():
        return []
    return [
        pk
        for pk, code, name in Departement.objects.values_list("pk", "code", "name")
        if code.lower() == term.lower() or (len(wanted) >= 3 and wanted in normalize(name))
    ]


def reuse_count():
    """The number of other collectivités that declared « nous l’avons aussi mis en place »
    (visible declarations), as a card shows it: « repris par 2 autres collectivités »."""
    declarations = apps.get_model("reuse", "ReuseDeclaration").objects
    return Coalesce(
        Subquery(
            declarations.filter(
                use_case=OuterRef("pk"), kind=ReuseKind.ADOPTED, hidden_at__isnull=True
            )
            .order_by()
            .values("use_case")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


class UseCaseQuerySet(models.QuerySet):
    def published(self):
        """Cases visible to the public."""
        return self.filter(PUBLISHED)

    def sent_for_review(self):
        """Cases moderators may see: every case but drafts never sent, private to their author."""
        return self.exclude(status=Status.DRAFT)

    def admin_search(self, query):
        """The moderators' search, word by word: the words of the sheet (title, texts, tags,
        collectivités and partners) without accents, official codes (INSEE, SIREN) of the
        collectivité or a partner, a département (name or code), the contributor's name or
        address."""
        condition = Q()
        for term in query.split()[: search.MAX_TERMS]:
            words = normalize_words(term)
            matches = (
                Q(
                    collectivite__code=term,
                )
                | Q(collectivite__siren=term)
                | Q(partners__code=term)
                | Q(partners__siren=term)
            )
            folded = normalize(term)
            if len(folded) >= 3:
                # Collectivités by their accent-free name, whatever the text index makes of it.
                matches |= Q(collectivite__search_name__contains=folded) | Q(
                    partners__search_name__contains=folded
                )
            if words:
                in_text = Q()
                for word in words:
                    in_text &= Q(search_text__contains=word)
                matches |= in_text
            matches |= (
                Q(author__first_name__icontains=term)
                | Q(author__last_name__icontains=term)
                | Q(author__email__icontains=term)
            )
            departements = departements_named(term)
            if departements:
                matches |= Q(collectivite__departement__in=departements)
            condition &= matches
        return self.filter(pk__in=UseCase.objects.filter(condition).values("pk"))

    def with_card_data(self):
        """What a card in a list or a feed item needs, in a bounded number of queries.

        Only those columns: a page of twenty full rows weighs ~20 times more.
        """
        return (
            self.select_related("collectivite", "theme")
            .only(*CARD_FIELDS)
            .annotate(transparency_documented=transparency_documented_count())
            .prefetch_related("techniques")
            .annotate(reuse_count=reuse_count())
        )

    def search(self, query):
        """French full-text search: ranked on PostgreSQL, a word match fallback elsewhere."""
        return search.search_use_cases(self, query)

    def refresh_search_index(self):
        """Recompute the denormalised search columns of these cases (after tags or names change)."""
        return search.refresh_search_index(self)

    def with_public_record_data(self):
        """What an open-data record needs (usecases.exports), in a fixed number of queries."""
        from usecases.mutualisation.sheet import record_prefetches

        return (
            self.select_related("collectivite__departement", "collectivite__region", "theme")
            .prefetch_related("partners", "techniques", "tags", "key_figures", "resources")
            .prefetch_related(*record_prefetches())
        )

    def with_information_date(self):
        """Annotate `information_date`: the last review (publication, update, confirmation)."""
        return self.alias(information_date=Coalesce(F("reviewed_at"), F("published_at")))

    def with_former_slug(self, slug):
        """Cases that answered at `slug` before their slug changed (see UseCaseSlugHistory)."""
        return self.filter(slug_history__old_slug=slug)


# The descriptive fields of a case, stored as they are typed: shared by the contributor form,
# the exports and the loaders, so that a new field is added in one place.
CONTENT_FIELDS = [
    "title",
    "summary",
    "need",
    "solution",
    "data_used",
    "model_used",
    "stage",
    "start_year",
    "end_year",
    "results",
    "build_mode",
    "vendor",
    "source_code_url",
    "cost_range",
    "funding",
    "hosting",
    "hosting_data_in_eu",
    "human_oversight",
    "human_oversight_details",
    "personal_data",
    "impact_assessment",
    "ai_act_risk",
    "environmental_footprint",
    "lessons_learned",
    "public_url",
]


class UseCase(models.Model):
    # The need and the answer
    title = models.CharField(
        _("titre"),
        max_length=150,
        help_text=_("Commencez par un verbe : « Détecter les fuites du réseau d’eau potable »."),
    )
    slug = models.SlugField(_("identifiant d’URL"), max_length=170, unique=True)
    summary = models.CharField(
        _("résumé"), max_length=300, help_text=_("Deux ou trois phrases en langage simple.")
    )
    collectivite = models.ForeignKey(
        Collectivite,
        verbose_name=_("collectivité porteuse"),
        on_delete=models.PROTECT,
        related_name="use_cases",
    )
    partners = models.ManyToManyField(
        Collectivite,
        verbose_name=_("collectivités partenaires"),
        blank=True,
        related_name="partner_use_cases",
    )
    # What a small commune looks for: a project it can join or take up, rather than build alone
    # (the « Mutualisé » criterion, with the cases carried with partner collectivités).
    open_to_others = models.BooleanField(
        _("mutualisé ou ouvert à d’autres collectivités"),
        default=False,
        help_text=_(
            "Le projet est mené pour plusieurs collectivités (syndicat, intercommunalité, "
            "département ou région au service des communes), ou d’autres peuvent le rejoindre."
        ),
    )
    # Nullable in the database so that a draft can be saved half-written; the forms and the
    # "complete unless draft" constraint require it everywhere else.
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("thème"),
        on_delete=models.PROTECT,
        related_name="use_cases",
        null=True,
    )
    tags = TaggableManager(_("mots-clés"), blank=True, help_text=_("Séparés par des virgules."))
    need = models.TextField(_("le besoin"), help_text=_("Quel problème, pourquoi l’IA."))
    solution = models.TextField(_("la solution"), help_text=_("Ce que fait l’outil, comment."))
    # Optional at the model level: a governance case (a charter, a training plan) may use none.
    techniques = models.ManyToManyField(
        Technique, verbose_name=_("techniques d’IA"), related_name="use_cases", blank=True
    )
    data_used = models.TextField(_("données utilisées"), blank=True)
    model_used = models.CharField(_("modèle d’IA utilisé"), max_length=200, blank=True)
    stage = models.CharField(_("stade"), max_length=20, choices=Stage.choices)
    # Start year, build mode and hosting may stay « Non renseigné » on a published sheet: a
    # guessed value is worse than none. Contributors give them before submitting (forms).
    start_year = models.PositiveSmallIntegerField(
        _("année de début"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    end_year = models.PositiveSmallIntegerField(
        _("année de fin"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    # Results
    results = models.TextField(_("résultats et impacts"), blank=True)
    # How it was built
    build_mode = models.CharField(
        _("mode de réalisation"), max_length=20, choices=BuildMode.choices, blank=True
    )
    vendor = models.CharField(_("prestataire ou éditeur"), max_length=200, blank=True)
    source_code_url = models.URLField(_("lien vers le code source"), blank=True)
    cost_range = models.CharField(
        _("coût"), max_length=10, choices=CostRange.choices, blank=True, default=CostRange.UNKNOWN
    )
    funding = models.CharField(_("financement"), max_length=300, blank=True)
    hosting = models.CharField(
        _("hébergement"), max_length=20, choices=Hosting.choices, default=Hosting.UNKNOWN
    )
    hosting_data_in_eu = models.CharField(
        _("données dans l’Union européenne"),
        max_length=10,
        choices=DataInEU.choices,
        blank=True,
        help_text=_(
            "Pour un service en ligne de l’éditeur (SaaS) : les données restent-elles dans "
            "l’Union européenne ?"
        ),
    )
    # Transparency
    human_oversight = models.CharField(
        _("supervision humaine"), max_length=20, choices=HumanOversight.choices, blank=True
    )
    human_oversight_details = models.TextField(_("précisions sur la supervision"), blank=True)
    personal_data = models.CharField(
        _("données personnelles"), max_length=20, choices=PersonalData.choices, blank=True
    )
    impact_assessment = models.CharField(
        _("analyse d’impact (AIPD)"), max_length=20, choices=ImpactAssessment.choices, blank=True
    )
    ai_act_risk = models.CharField(
        _("niveau de risque (règlement européen sur l’IA)"),
        max_length=20,
        choices=RiskLevel.choices,
        blank=True,
    )
    environmental_footprint = models.TextField(_("impact environnemental et frugalité"), blank=True)
    lessons_learned = models.TextField(_("enseignements et difficultés"), blank=True)
    # Contact
    contact_role = models.CharField(_("fonction du contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_is_public = models.BooleanField(
        _("afficher le contact publiquement"),
        default=False,
        help_text=_("Le contact n’est affiché que si la collectivité y consent."),
    )
    public_url = models.URLField(_("page publique du projet"), blank=True)
    # Publication
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contributeur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="use_cases",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True, db_index=True)
    # Review date (reviews app): set at each publication, accepted update and « Toujours à
    # jour » confirmation; `information_date` falls back on published_at for loaded cases.
    reviewed_at = models.DateTimeField(
        _("informations confirmées le"), null=True, blank=True, editable=False
    )
    # Idempotency key of the creation form: a double-clicked « Enregistrer » creates one case.
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Synthetic cases of `manage.py seed_demo` (load tests, demos): slug prefixed "demo-",
    # removed by `seed_demo --delete`, never in a catalogue dump (usecases.dump).
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False, editable=False)
    # Search: maintained by UseCaseQuerySet.refresh_search_index().
    search_keywords = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    objects = UseCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("cas d’usage")
        verbose_name_plural = _("cas d’usage")
        ordering = ["-published_at", "-pk"]
        indexes = [
            GinIndex(fields=["search_vector"], name="usecase_search_vector_gin"),
            models.Index(
                fields=["status", "-published_at", "-id"], name="usecase_status_published"
            ),
            models.Index(fields=["status", "theme"], name="usecase_status_theme"),
            # Catalogue lists and facet counts: published cases newest first, with
            # the filter columns after them so that a filtered list, a deep page or a facet
            # count reads this narrow index alone (PostgreSQL index-only scans).
            models.Index(
                # Key columns rather than INCLUDE, which SQLite lacks (check models.W040).
                fields=[
                    "-published_at",
                    "-id",
                    "theme",
                    "collectivite",
                    "stage",
                    "hosting",
                    "build_mode",
                    "start_year",
                ],
                name="usecase_published_listing",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["theme", "-published_at", "-id"],
                name="usecase_published_theme",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["title", "id"],
                name="usecase_published_title",
                condition=Q(status="published"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="usecase_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[*Stage.values, ""]), name="usecase_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(hosting__in=Hosting.values), name="usecase_hosting_valid"
            ),
            models.CheckConstraint(
                condition=Q(hosting_data_in_eu__in=DataInEU.values)
                & (Q(hosting=Hosting.SAAS) | Q(hosting_data_in_eu="")),
                name="usecase_data_in_eu_for_saas",
                violation_error_message=_(
                    "La localisation des données dans l’Union européenne ne se renseigne que pour "
                    "un service en ligne de l’éditeur (SaaS)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(build_mode__in=[*BuildMode.values, ""]),
                name="usecase_build_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(start_year__gte=MIN_YEAR, start_year__lte=MAX_YEAR),
                name="usecase_start_year_range",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="usecase_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="usecase_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(contact_is_public=False) | ~Q(contact_email=""),
                name="usecase_public_contact_has_email",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | (Q(theme__isnull=False) & ~Q(stage="") & ~Q(summary="")),
                name="usecase_complete_unless_draft",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The former slug is recorded here rather than in a service: the slug can change from the
        # admin, the contribution form or a command, and every path must keep published URLs
        # answering. The only effect is one row written in the same transaction.
        update_fields = kwargs.get("update_fields")
        if self._state.adding or (update_fields is not None and "slug" not in update_fields):
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using") or self._state.db):
            previous = (
                UseCase.objects.filter(pk=self.pk, published_at__isnull=False)
                .values_list("slug", flat=True)
                .first()
            )
            super().save(*args, **kwargs)
            if previous and previous != self.slug:
                record_slug_change(self, previous)

    def get_absolute_url(self):
        return reverse("usecases:detail", kwargs={"slug": self.slug})

    @property
    def information_date(self):
        """« Informations à jour au … »: the last publication, accepted update or confirmation."""
        return self.reviewed_at or self.published_at

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def transparency_items(self):
        """The public registers' transparency criteria, each with its value in words.

        A criterion whose text has its own section of the sheet points there instead of
        repeating it; an empty value means « not documented ».
        """
        items = []
        for criterion in TRANSPARENCY_CRITERIA:
            raw = getattr(self, criterion.field)
            if raw is None or raw in MISSING_VALUES:
                value = ""
            elif criterion.in_words:
                value = str(criterion.in_words.get(raw, raw))
            elif criterion.choices:
                value = getattr(self, f"get_{criterion.field}_display")()
            else:
                value = raw
            if criterion.field == "human_oversight" and value and self.human_oversight_details:
                value = f"{value}. {self.human_oversight_details}"
            items.append(TransparencyItem(criterion.label, value, criterion.section))
        return items

    def hosting_description(self):
        """« Service en ligne de l’éditeur (SaaS), données dans l’UE : oui », or "" if unknown."""
        if self.hosting == Hosting.UNKNOWN:
            return ""
        if self.hosting != Hosting.SAAS:
            return self.get_hosting_display()
        return _("%(hosting)s, données dans l’Union européenne : %(in_eu)s") % {
            "hosting": self.get_hosting_display(),
            "in_eu": self.get_hosting_data_in_eu_display().lower(),
        }

    @property
    def transparency_score(self):
        """(documented criteria, all criteria)."""
        items = self.transparency_items()
        return sum(1 for item in items if item.value), len(items)

    @property
    def transparency_summary(self):
        """« 5 critères renseignés sur 8 », from the card annotation when there is one."""
        count = getattr(self, "transparency_documented", None)
        if count is None:
            count = self.transparency_score[0]
        # French uses the singular for 0 and 1: ngettext's default rule (n != 1) does not.
        return ngettext(
            "%(count)d critère renseigné sur %(total)d",
            "%(count)d critères renseignés sur %(total)d",
            max(count, 1),
        ) % {"count": count, "total": len(TRANSPARENCY_CRITERIA)}


class UseCaseSlugHistory(models.Model):
    """A former slug of a published case: its old URLs answer with a permanent redirect."""

    old_slug = models.SlugField(_("ancien identifiant d’URL"), max_length=170, unique=True)
    use_case = models.ForeignKey(
        UseCase,
        verbose_name=_("cas d’usage"),
        on_delete=models.CASCADE,
        related_name="slug_history",
    )
    created_at = models.DateTimeField(_("remplacé le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ancien identifiant d’URL")
        verbose_name_plural = _("anciens identifiants d’URL")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.old_slug} → {self.use_case_id}"


def record_slug_change(use_case, old_slug):
    """Point `old_slug` at `use_case`; its new slug, being live again, leaves the history."""
    UseCaseSlugHistory.objects.filter(old_slug=use_case.slug).delete()
    UseCaseSlugHistory.objects.update_or_create(
        old_slug=old_slug, defaults={"use_case": use_case, "created_at": timezone.now()}
    )


class KeyFigure(models.Model):
    """A headline result: « 12 » « fuites » « détectées en deux semaines »."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="key_figures")
    value = models.CharField(_("valeur"), max_length=40)
    unit = models.CharField(
        _("unité"), max_length=40, blank=True, help_text=_("Par exemple « km », « % » ou « M€ ».")
    )
    label = models.CharField(_("libellé"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("chiffre clé")
        verbose_name_plural = _("chiffres clés")
        ordering = ["position", "pk"]

    def __str__(self):
        return " ".join(part for part in (self.value, self.unit, self.label) if part)

    @property
    def headline(self):
        """The value and its unit, as shown in large type: « 12 fuites »."""
        return " ".join(part for part in (self.value, self.unit) if part)
