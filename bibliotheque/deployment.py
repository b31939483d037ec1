"""Settings built from deployment variables, kept apart from settings.py so tests can call them.

Only the standard library and django.core.exceptions are imported: settings import this module.
"""

import importlib.util

from django.core.exceptions import ImproperlyConfigured

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


# The table of CounterDatabaseCache, created by the migration bibliotheque 0001 (createcachetable).
LIMITS_CACHE_TABLE = "bibliotheque_limits_cache"


def cache_settings(url):
    """CACHES for CACHE_URL: two aliases, never mixed.

    - "default" holds what must be shared by every worker and never evicted by traffic: the
      rate-limit counters (bibliotheque.limits, allauth's and the API's, which all use the
      default cache). Without CACHE_URL: a table of the database (PostgreSQL in production).
    - "pages" holds the anonymous page cache and figures computed once per catalogue version:
      per-process memory without CACHE_URL, Redis with it.
    """
    if not url:
        return {
            "default": {
                "BACKEND": "bibliotheque.cache.CounterDatabaseCache",
                "LOCATION": LIMITS_CACHE_TABLE,
                # Expired counters are deleted first; live ones only past this many rows.
                "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 10},
            },
            "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    servers = [item.strip() for item in url.split(",") if item.strip()]
    if not all(server.startswith(REDIS_SCHEMES) for server in servers):
        raise ImproperlyConfigured(
            "CACHE_URL must be a redis://, rediss:// or unix:// URL (several: primary first)."
        )
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Several URLs: the first is written to, the others are read replicas.
        "LOCATION": servers if len(servers) > 1 else servers[0],
        # A slow or dead Redis must not hold a gunicorn worker for long: fail fast.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    return {
        "default": {**redis, "KEY_PREFIX": "bibliotheque:limits"},
        "pages": {**redis, "KEY_PREFIX": "bibliotheque:pages"},
    }


def s3_storage(environ):
    """The `default` storage for uploads in an S3-compatible bucket (DJANGO_STORAGE=s3).

    Credentials are not settings: boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
    from the environment itself, so they never appear in a settings dump.
    """
    bucket = environ.get("DJANGO_S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("DJANGO_STORAGE=s3 needs DJANGO_S3_BUCKET.")
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "DJANGO_STORAGE=s3 needs django-storages[s3]: install requirements/s3.txt "
            "(docker compose build --build-arg REQUIREMENTS=requirements/s3.txt)."
        )
    options = {
        "bucket_name": bucket,
        "region_name": environ.get("DJANGO_S3_REGION") or None,
        "endpoint_url": environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        # Private bucket: downloads go through short-lived signed URLs.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 600,
        # Never replace an existing document that happens to have the same name.
        "file_overwrite": False,
        "location": environ.get("DJANGO_S3_PREFIX", "media"),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STATIC_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def static_security_headers(headers, path, url):
    """Headers of every static file WhiteNoise serves (WHITENOISE_ADD_HEADERS_FUNCTION).

    WhiteNoise answers before the CSP and X-Frame-Options middlewares (SecurityMiddleware, outside
    it, still adds HSTS, nosniff, Referrer-Policy and COOP): a static file opened on its own, an
    SVG say, must not run script nor be framed either.
    """
    headers["Content-Security-Policy"] = STATIC_CSP
    headers["X-Frame-Options"] = "DENY"
