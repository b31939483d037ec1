from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectivitesConfig(AppConfig):
    name = "collectivites"
    verbose_name = _("Collectivités")
