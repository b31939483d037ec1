from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bibliotheque.text import normalize

from .choices import Kind


class CollectiviteQuerySet(models.QuerySet):
    def search(self, query):
        """Accent- and case-insensitive match on the name or the official code."""
        words = normalize(query).split()
        if not words:
            return self
        condition = Q()
        for word in words:
            condition &= Q(search_name__contains=word)
        return self.filter(condition | Q(code=query.strip()) | Q(siren=query.strip()))

    def epcis(self):
        return self.filter(kind__in=Kind.epci_kinds())


class Region(models.Model):
    """A région of the official geography (COG), whether or not it is itself a collectivité."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Departement(models.Model):
    """A département of the official geography (COG), e.g. 2A or 972 although merged."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("région"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Collectivite(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d’URL"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    code = models.CharField(
        _("code officiel"),
        max_length=12,
        blank=True,
        help_text=_(
            "Code INSEE (COG) pour les communes, départements et régions ; SIREN pour les EPCI."
        ),
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, db_index=True)
    departement = models.ForeignKey(
        Departement,
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Pour une intercommunalité, le département de son siège."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.PROTECT, null=True, blank=True
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    epci = models.ForeignKey(
        "self",
        verbose_name=_("intercommunalité"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_communes",
        limit_choices_to={"kind__in": Kind.epci_kinds()},
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    objects = CollectiviteQuerySet.as_manager()

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="collectivite_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~Q(code=""), name="collectivite_unique_kind_code"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="collectivite_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("collectivites:detail", kwargs={"slug": self.slug})

    @property
    def is_epci(self):
        return self.kind in Kind.epci_kinds()
