"""The controlled vocabularies of a case: its theme and its AI techniques."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """One of the six themes of the Bibliothèque, created by a data migration."""

    slug = models.SlugField(_("identifiant d’URL"), unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("usecases:theme", kwargs={"slug": self.slug})


class Technique(models.Model):
    """A family of AI techniques (controlled vocabulary, created by a data migration)."""

    slug = models.SlugField(_("identifiant d’URL"), unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("technique d’IA")
        verbose_name_plural = _("techniques d’IA")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name
