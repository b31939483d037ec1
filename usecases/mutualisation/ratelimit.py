"""Interim limit counter of the contact and declaration forms, until `bibliotheque.limits` lands.

Same call as `bibliotheque.limits.exceeded(request, scope, rate, key=None)` (issue 12, being
integrated): when it is on main, delete this module and import `exceeded` from there (one line
in usecases/mutualisation/views.py); its client address honours the trusted reverse proxy.
Until then, counters are fixed windows in the default cache, keyed like the error-report limit
on REMOTE_ADDR.
"""

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def exceeded(request, scope, rate, key=None):
    """Count this request under (scope, key or the client's address); True past `rate`."""
    count, period = rate.split("/")
    bucket = f"limit:{scope}:{key or request.META.get('REMOTE_ADDR', '')}"
    cache.add(bucket, 0, timeout=PERIODS[period[-1]] * int(period[:-1] or 1))
    return cache.incr(bucket) > int(count)
