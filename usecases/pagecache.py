"""Cache of the public catalogue pages for anonymous visitors.

A page is stored whole (after every middleware, headers included) under its host and full
URL plus the *catalogue version*, a counter kept in the database (`CatalogueVersion`) so that
every worker and every node sees the same value. Whatever changes public content bumps it
(`bump_catalogue_version()`): the moderation services, saves and deletions of cases and of what
a page shows about them (signals in `usecases.signals`), and the bulk loaders; pages of older
versions are never read again and expire. A hit costs one one-row query and a cache read.

Only cookie-less GET requests are served from or stored in the cache: such a request is
anonymous and has no pending message, so its page is the same for everyone. A response that
sets a cookie, carries a CSP nonce or is not a plain 200 is never stored. Settings:
PAGE_CACHE_SECONDS (0 turns the cache off), PAGE_CACHE_VIEWS (the URL names concerned).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.urls import Resolver404, resolve

from .models import CatalogueVersion

VERSION_PK = 1


def catalogue_version():
    """The current catalogue version (0 before the first change)."""
    value = CatalogueVersion.objects.filter(pk=VERSION_PK).values_list("value", flat=True)
    return value.first() or 0


def _bump():
    if not CatalogueVersion.objects.filter(pk=VERSION_PK).update(value=F("value") + 1):
        CatalogueVersion.objects.get_or_create(pk=VERSION_PK, defaults={"value": 1})


def bump_catalogue_version():
    """Invalidate every cached page, once the current transaction (if any) commits."""
    transaction.on_commit(_bump)


def page_key(request, version):
    url = f"{request.get_host()}{request.get_full_path()}"
    return f"page:{version}:{hashlib.sha256(url.encode()).hexdigest()}"


def _cacheable_request(request):
    if request.method != "GET" or request.META.get("HTTP_COOKIE"):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in settings.PAGE_CACHE_VIEWS


def _storable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "nonce-" not in response.get("Content-Security-Policy", "")
    )


class AnonymousPageCacheMiddleware:
    """Serve and store the pages of PAGE_CACHE_VIEWS for cookie-less GET requests.

    Sits right after WhiteNoise: a hit skips sessions, CSRF, authentication and the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = page_key(request, catalogue_version())
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if _storable(response):
            cache.set(key, response, seconds)
        return response


def per_catalogue_version(name, compute):
    """compute(), once per catalogue version and process (COUNTS_CACHE_SECONDS; 0: always).

    For figures that depend only on the published catalogue (the home page's): they are
    computed again only after a change bumped the version.
    """
    seconds = settings.COUNTS_CACHE_SECONDS
    if not seconds:
        return compute()
    key = f"counts:{catalogue_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
