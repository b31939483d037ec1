"""Per-client rate limit of the API (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"])."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from bibliotheque.limits import client_network


class ApiThrottled(Throttled):
    default_detail = _("Trop de requêtes : la limite d’usage de l’API est atteinte.")
    extra_detail_singular = _("Réessayez dans {wait} seconde.")
    extra_detail_plural = _("Réessayez dans {wait} secondes.")


class ApiRateThrottle(AnonRateThrottle):
    """AnonRateThrottle keyed on the site's client address, its rate read per request.

    DRF binds THROTTLE_RATES when the module is imported, so a changed setting (tests,
    API_THROTTLE_RATE read by a reloaded process) would otherwise be ignored. Its counters live
    in the default cache, shared by every worker (bibliotheque.limits).
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_network(request)
