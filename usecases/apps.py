from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UseCasesConfig(AppConfig):
    name = "usecases"
    verbose_name = _("Cas d’usage")

    def ready(self):
        from . import signals

        signals.connect()
