"""Per-client rate limit of the API (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"])."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from bibliotheque.limits import usage


class ApiThrottled(Throttled):
    default_detail = _("Trop de requêtes : la limite d’usage de l’API est atteinte.")
    extra_detail_singular = _("Réessayez dans {wait} seconde.")
    extra_detail_plural = _("Réessayez dans {wait} secondes.")


class ApiRateThrottle(BaseThrottle):
    """The API's limit per client address, counted by bibliotheque.limits like every other.

    Its counter is an atomic increment in the shared store, so several workers agree even under
    concurrent requests (DRF's own throttles read, append and write a list, which can lose
    counts). The rate ("120/minute", DRF's syntax) is read per request: DRF binds
    THROTTLE_RATES at import, so a changed setting would otherwise be ignored.
    """

    scope = "anon"

    def allow_request(self, request, view):
        rate = api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        self.usage = usage(request, "api", rate)
        return not self.usage.exceeded

    def wait(self):
        return self.usage.retry_after
