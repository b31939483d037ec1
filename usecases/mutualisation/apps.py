from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReuseConfig(AppConfig):
    """Mutualisation: solutions, « nous aussi » reuse declarations, contacting a sheet's team."""

    name = "usecases.mutualisation"
    label = "reuse"
    verbose_name = _("Mutualisation")

    def ready(self):
        from . import signals

        signals.connect()
