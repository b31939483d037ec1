"""Cache of the public catalogue pages for anonymous visitors, on Django's cache framework.

Django's two cache middlewares (`UpdateCacheMiddleware`, `FetchFromCacheMiddleware`) store and
serve whole pages: keys by URL and by the request headers the page's `Vary` names, HEAD answered
from a stored GET, `Cache-Control: max-age` and `Expires` set on what is stored, never a response
marked private, no-cache or no-store. This module narrows what they cache and adds the
*catalogue version* to the key prefix: a counter kept in the database (`CatalogueVersion`), so
that every worker and every node sees the same value. Whatever changes public content bumps it
(`bump_catalogue_version()`): the moderation services, saves and deletions of cases and of what
a page shows about them (signals in `usecases.signals`), and the bulk loaders; pages of older
versions are never read again and expire. A hit costs one one-row query and a cache read.

Only cookie-less GET and HEAD requests for the URL names of PAGE_CACHE_VIEWS are served from or
stored in the cache: such a request is anonymous and has no pending message, so its page is the
same for everyone. A response that sets a cookie or carries a CSP nonce is never stored.
Settings: PAGE_CACHE_SECONDS (0 turns the cache off), PAGE_CACHE_VIEWS; the cache is
CACHE_MIDDLEWARE_ALIAS. What is cached where: docs/catalogue.md.
"""

import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.urls import Resolver404, resolve

from .models import CatalogueVersion

VERSION_PK = 1


# The version read during the current request: read once, whoever asks (the page cache, the
# catalogue index, the home page's figures).
_request = threading.local()


def _request_started(**kwargs):
    _request.active, _request.version = True, None


def _request_finished(**kwargs):
    _request.active, _request.version = False, None


request_started.connect(_request_started, dispatch_uid="pagecache-version-start")
request_finished.connect(_request_finished, dispatch_uid="pagecache-version-finish")


def catalogue_version():
    """The current catalogue version (0 before the first change), read once per request."""
    if getattr(_request, "active", False) and _request.version is not None:
        return _request.version
    rows = CatalogueVersion.objects.filter(pk=VERSION_PK).values_list("value", flat=True)
    version = rows.first() or 0
    if getattr(_request, "active", False):
        _request.version = version
    return version


def _bump():
    # The time of the change in microseconds (or one more than the last version, if the clock
    # went back): a version never comes back, not even in a database restored from a backup or
    # created afresh, so a key that names it never names other content (docs/catalogue.md).
    now = time.time_ns() // 1000
    versions = CatalogueVersion.objects.filter(pk=VERSION_PK)
    if not versions.update(value=Greatest(F("value") + 1, Value(now))):
        CatalogueVersion.objects.get_or_create(pk=VERSION_PK, defaults={"value": now})
    _request.version = None


def bump_catalogue_version():
    """Invalidate every cached page, once the current transaction (if any) commits."""
    transaction.on_commit(_bump)


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD") or request.META.get("HTTP_COOKIE"):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in settings.PAGE_CACHE_VIEWS


class _VersionedKeyPrefix:
    """`key_prefix` of Django's middlewares, with the catalogue version of the current request.

    Django reads `self.key_prefix`; the version is that of the request being served by this
    thread (set by `_use_request`), so that one middleware instance serves threads safely.
    """

    _local = threading.local()

    @property
    def key_prefix(self):
        return self._local.prefix

    @key_prefix.setter
    def key_prefix(self, value):
        pass  # Django's __init__ sets CACHE_MIDDLEWARE_KEY_PREFIX: read in _use_request.

    def _use_request(self, request):
        self._local.prefix = request.page_cache_prefix


class PageCacheFetchMiddleware(_VersionedKeyPrefix, FetchFromCacheMiddleware):
    """Serve the stored page of a cacheable request. Sits right after WhiteNoise, so that a hit
    skips sessions, CSRF, authentication and the view."""

    def process_request(self, request):
        if not settings.PAGE_CACHE_SECONDS or not _cacheable_request(request):
            request._cache_update_cache = False
            return None
        prefix = settings.CACHE_MIDDLEWARE_KEY_PREFIX
        request.page_cache_prefix = f"{prefix}catalogue-{catalogue_version()}"
        self._use_request(request)
        return super().process_request(request)


class PageCacheUpdateMiddleware(_VersionedKeyPrefix, UpdateCacheMiddleware):
    """Store the page of a cacheable request. Sits right before PageCacheFetchMiddleware."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.page_timeout = None

    def _should_update_cache(self, request, response):
        if not super()._should_update_cache(request, response):
            return False
        if response.cookies or "nonce-" in response.get("Content-Security-Policy", ""):
            return False
        self.cache_timeout = settings.PAGE_CACHE_SECONDS
        self._use_request(request)
        return True


def per_catalogue_version(name, compute):
    """compute(), once per catalogue version and process (COUNTS_CACHE_SECONDS; 0: always).

    For figures that depend only on the published catalogue (the home page's): they are
    computed again only after a change bumped the version.
    """
    seconds = settings.COUNTS_CACHE_SECONDS
    if not seconds:
        return compute()
    key = f"counts:{catalogue_version()}:{name}"
    value = caches[settings.CACHE_MIDDLEWARE_ALIAS].get(key)
    if value is None:
        value = compute()
        caches[settings.CACHE_MIDDLEWARE_ALIAS].set(key, value, seconds)
    return value
