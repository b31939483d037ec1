from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectivites.models import Collectivite
from usecases.choices import Status
from usecases.models import MAX_YEAR, MIN_YEAR
from usecases.validators import validate_https_url

from .choices import ContactRecipient, ModelFamily, ProviderLocation, ReuseKind, SolutionKind


class SolutionQuerySet(models.QuerySet):
    def public(self):
        """Solutions named by at least one published case or one visible declaration."""
        published = Q(use_cases__status=Status.PUBLISHED)
        return self.filter(
            Exists(
                Solution.use_cases.through.objects.filter(
                    solution=OuterRef("pk"), usecase__status=Status.PUBLISHED
                )
            )
            | Exists(ReuseDeclaration.objects.visible().filter(solution=OuterRef("pk")))
        ).annotate(
            published_count=Count("use_cases", filter=published, distinct=True),
        )

    def with_former_slug(self, slug):
        return self.filter(slug_history__old_slug=slug)


class Solution(models.Model):
    """A product, an open-source tool or an in-house development that cases rely on."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant d’URL"), max_length=140, unique=True)
    kind = models.CharField(
        _("nature"), max_length=20, choices=SolutionKind.choices, default=SolutionKind.PRODUCT
    )
    publisher = models.CharField(_("éditeur ou auteur"), max_length=200, blank=True)
    publisher_location = models.CharField(
        _("siège de l’éditeur"),
        max_length=20,
        choices=ProviderLocation.choices,
        default=ProviderLocation.UNKNOWN,
    )
    model_family = models.CharField(
        _("famille de modèle d’IA"),
        max_length=20,
        choices=ModelFamily.choices,
        blank=True,
        default=ModelFamily.NONE,
    )
    website = models.URLField(
        _("site web"), max_length=300, blank=True, validators=[validate_https_url]
    )
    source_code_url = models.URLField(
        _("code source"), max_length=300, blank=True, validators=[validate_https_url]
    )
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    use_cases = models.ManyToManyField(
        "usecases.UseCase", verbose_name=_("cas d’usage"), blank=True, related_name="solutions"
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    # Synthetic solutions of `manage.py seed_demo`, removed with the demo cases.
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False, editable=False)

    objects = SolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="solution_unique_name"),
            models.CheckConstraint(
                condition=Q(kind__in=SolutionKind.values), name="solution_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(publisher_location__in=ProviderLocation.values),
                name="solution_location_valid",
            ),
            models.CheckConstraint(
                condition=Q(model_family__in=ModelFamily.values),
                name="solution_model_family_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # As for cases: a renamed solution keeps its former URL answering (admin, merges).
        with transaction.atomic(using=kwargs.get("using") or self._state.db):
            previous = None
            if not self._state.adding:
                previous = (
                    Solution.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
                )
            super().save(*args, **kwargs)
            if previous and previous != self.slug:
                record_solution_slug(self, previous)

    def get_absolute_url(self):
        return reverse("reuse:solution", kwargs={"slug": self.slug})

    @property
    def is_open_source(self):
        return self.kind == SolutionKind.OPEN_SOURCE


class SolutionSlugHistory(models.Model):
    """A former slug of a solution (renamed, or merged into another): it redirects."""

    old_slug = models.SlugField(_("ancien identifiant d’URL"), max_length=140, unique=True)
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="slug_history")
    created_at = models.DateTimeField(_("remplacé le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ancien identifiant de solution")
        verbose_name_plural = _("anciens identifiants de solutions")

    def __str__(self):
        return f"{self.old_slug} → {self.solution_id}"


def record_solution_slug(solution, old_slug):
    """Point `old_slug` at `solution`; its current slug, live again, leaves the history."""
    SolutionSlugHistory.objects.filter(old_slug=solution.slug).delete()
    SolutionSlugHistory.objects.update_or_create(
        old_slug=old_slug, defaults={"solution": solution, "created_at": timezone.now()}
    )


class ReuseDeclarationQuerySet(models.QuerySet):
    def visible(self):
        """Public declarations: not hidden by a moderator, on a published case."""
        return self.filter(hidden_at__isnull=True, use_case__status=Status.PUBLISHED)


class ReuseDeclaration(models.Model):
    """« Nous aussi » : a collectivité says it runs, considers or stopped a case led elsewhere."""

    use_case = models.ForeignKey(
        "usecases.UseCase",
        verbose_name=_("cas d’usage"),
        on_delete=models.CASCADE,
        related_name="reuse_declarations",
    )
    collectivite = models.ForeignKey(
        Collectivite,
        verbose_name=_("collectivité"),
        on_delete=models.PROTECT,
        related_name="reuse_declarations",
    )
    kind = models.CharField(_("situation"), max_length=20, choices=ReuseKind.choices)
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    note = models.CharField(_("précisions"), max_length=300, blank=True)
    url = models.URLField(_("lien"), max_length=300, blank=True, validators=[validate_https_url])
    solution = models.ForeignKey(
        Solution,
        verbose_name=_("solution utilisée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuse_declarations",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déclarée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuse_declarations",
    )
    created_at = models.DateTimeField(_("déclarée le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    hidden_at = models.DateTimeField(_("masquée le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("masquée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.CharField(_("motif du masquage"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False, editable=False)

    objects = ReuseDeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("déclaration de reprise")
        verbose_name_plural = _("déclarations de reprise")
        ordering = ["-year", "-created_at", "-pk"]
        constraints = [
            # One declaration per collectivité and case: a second one updates the first.
            models.UniqueConstraint(
                fields=["use_case", "collectivite"], name="reuse_one_per_collectivite"
            ),
            models.CheckConstraint(condition=Q(kind__in=ReuseKind.values), name="reuse_kind_valid"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="reuse_year_range"
            ),
        ]
        indexes = [models.Index(fields=["collectivite", "use_case"], name="reuse_collectivite")]

    def __str__(self):
        return f"{self.collectivite} — {self.get_kind_display()}"

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class ContactMessage(models.Model):
    """A message relayed to a sheet's team, kept CONTACT_RETENTION_DAYS then purged."""

    use_case = models.ForeignKey(
        "usecases.UseCase",
        verbose_name=_("cas d’usage"),
        on_delete=models.CASCADE,
        related_name="contact_messages",
    )
    name = models.CharField(_("nom"), max_length=100)
    organisation = models.CharField(_("collectivité ou organisme"), max_length=200)
    email = models.EmailField(_("e-mail professionnel"))
    message = models.TextField(_("message"), max_length=3000)
    recipient = models.CharField(_("transmis à"), max_length=20, choices=ContactRecipient.choices)
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("message à une équipe")
        verbose_name_plural = _("messages aux équipes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__in=ContactRecipient.values), name="contact_recipient_valid"
            ),
        ]

    def __str__(self):
        return _("Message de %(name)s sur « %(title)s »") % {
            "name": self.name,
            "title": self.use_case.title,
        }
