"""What the site knows about a person beyond their account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from collectivites.models import Collectivite


class ContributorProfile(models.Model):
    """What a contributor told us at sign-up: the collectivité they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributor_profile"
    )
    collectivite = models.ForeignKey(
        Collectivite,
        verbose_name=_("collectivité"),
        on_delete=models.PROTECT,
        related_name="contributors",
    )

    class Meta:
        # The table keeps the name it had when the model lived in usecases (moved without a copy).
        db_table = "usecases_contributorprofile"
        verbose_name = _("profil de contributeur")
        verbose_name_plural = _("profils de contributeurs")

    def __str__(self):
        return f"{self.user} ({self.collectivite})"
