"""The version counter of the public catalogue, part of the page cache's keys."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueVersion(models.Model):
    """A counter bumped whenever public content changes: part of the page cache's keys.

    One row (pk 1), read on each cached page request and bumped by
    usecases.pagecache.bump_catalogue_version(); kept in the database so that every worker and
    every node agrees on it whatever the cache backend.
    """

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("version du catalogue")
        verbose_name_plural = _("versions du catalogue")

    def __str__(self):
        return str(self.value)
