"""Documents and links attached to a case."""

import uuid
from pathlib import Path, PurePosixPath

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ResourceKind
from ..validators import validate_https_url
from .use_case import UseCase


def resource_upload_path(instance, filename):
    """A random name on disk: the uploaded name is never trusted nor reused."""
    return f"ressources/{timezone.now():%Y}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Resource(models.Model):
    use_case = models.ForeignKey(
        UseCase, verbose_name=_("cas d’usage"), on_delete=models.CASCADE, related_name="resources"
    )
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=ResourceKind.choices)
    url = models.URLField(_("lien"), max_length=500, blank=True, validators=[validate_https_url])
    file = models.FileField(
        _("document"), upload_to=resource_upload_path, blank=True, max_length=200
    )
    # Bytes of the document, kept for the per-account quota (usecases.quotas); 0 for a link.
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0, editable=False)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="resource_url_xor_file",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:  # A new upload: its size is at hand.
            self.size = self.file.size
        super().save(*args, **kwargs)

    @property
    def is_file(self):
        return bool(self.file)

    @property
    def file_format(self):
        """The document's format as a reader knows it (« PDF », « ODT »), beside its link."""
        return PurePosixPath(self.file.name).suffix.lstrip(".").upper() if self.file else ""
