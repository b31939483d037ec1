"""Rate limits: one definition of the client's address, one store, one call.

Every limit of the site goes through here (docs/securite.md lists them):

    from bibliotheque.limits import exceeded, user_key   # not `import limits`: tests/test_layering

    if exceeded(request, "contact", "5/h"):                        # per client address
        ...answer 429 with a French message, the form re-displayed...
    if exceeded(request, "alerts", "20/d", key=user_key(request.user)):
        ...

- `exceeded(request, scope, rate, key=None, increment=True)` counts this request in the bucket
  (scope, key) and returns True once more than the rate's count fell in the current window.
  `scope` names the limit (one per action); `rate` is "<count>/<period>" with the period in
  s, m, h or d, optionally multiplied ("5/h", "20/m", "10/15m"). `key` None: the client's
  address (IPv6 grouped by /64); any other string: that value, e.g. `user_key(user)` for an
  account or a normalised e-mail address. `increment=False` only looks (counts nothing).
- `usage(...)`, same arguments: the bucket's `Usage` (count, limit, exceeded, retry_after in
  seconds), for a Retry-After header.
- `client_address(request)`: the address of the visitor, the same one allauth's limits, the
  API throttle and every limit here use. Behind reverse proxies, DJANGO_TRUSTED_PROXY_COUNT
  (setting TRUSTED_PROXY_COUNT) says how many of them append to X-Forwarded-For: the address
  is the entry that many places from the right, the one the nearest trusted proxy saw. With
  the default 0 the header is ignored and REMOTE_ADDR is the client. Entries to the left of it
  are written by the client and never read, so a spoofed prefix changes nothing.

Counters are django-ratelimit's (fixed windows), in the "default" cache: a table of the database
(bibliotheque.cache.CounterDatabaseCache, atomic increments) or Redis when CACHE_URL is set —
shared by every worker and node, and apart from the page cache ("pages"), so page traffic
never evicts them. The API's throttle (api.throttling) counts through `usage`; allauth's login,
sign-up and reset limits use the same cache and, through `client_address`, the same address.
"""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

IPV6_PREFIX = 64
UNKNOWN_ADDRESS = "0.0.0.0"


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address, from TRUSTED_PROXY_COUNT trusted proxies (see module doc)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_ADDRESS
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(hops) < count:
        # The request did not come through every proxy: the peer is the best we know.
        return remote
    return _valid(hops[-count]) or remote


def client_network(request):
    """client_address, with an IPv6 address reduced to its /64: one key per subscriber."""
    address = ipaddress.ip_address(client_address(request))
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)


def user_key(user):
    """The key of a per-account limit."""
    return f"user:{user.pk}"


@dataclass(frozen=True)
class Usage:
    """Where a bucket stands after this request: counted, allowed, and when it empties."""

    count: int
    limit: int
    exceeded: bool
    retry_after: int


def usage(request, scope, rate, key=None, increment=True):
    """Count this request under (scope, key) against `rate`; return the bucket's Usage."""
    if key is None:

        def value(group, request):
            return f"ip:{client_network(request)}"

    else:

        def value(group, request):
            return f"key:{key}"

    result = get_usage(
        request, group=scope, key=value, rate=rate, method=get_usage.ALL, increment=increment
    )
    if result is None:  # RATELIMIT_ENABLE off.
        return Usage(count=0, limit=0, exceeded=False, retry_after=0)
    return Usage(
        count=result["count"],
        limit=result["limit"],
        exceeded=result["should_limit"],
        retry_after=max(1, result["time_left"]),
    )


def exceeded(request, scope, rate, key=None, increment=True):
    """Count this request under (scope, key) and tell whether `rate` is exceeded."""
    return usage(request, scope, rate, key=key, increment=increment).exceeded
