"""Per-client rate limit of the API (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"])."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class ApiThrottled(Throttled):
    default_detail = _("Trop de requêtes : la limite d’usage de l’API est atteinte.")
    extra_detail_singular = _("Réessayez dans {wait} seconde.")
    extra_detail_plural = _("Réessayez dans {wait} secondes.")


class ApiRateThrottle(AnonRateThrottle):
    """AnonRateThrottle that reads its rate per request rather than once at import.

    DRF binds THROTTLE_RATES when the module is imported, so a changed setting (tests,
    API_THROTTLE_RATE read by a reloaded process) would otherwise be ignored.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
