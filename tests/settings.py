"""Test settings: production settings with a throwaway key and test-only speed-ups."""

import os

# Production settings whatever the clone holds: with DJANGO_DEBUG set, var/dev.env is not read.
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "tests-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
)

from bibliotheque.settings import *  # noqa: E402, F403

# The test client speaks plain HTTP; the HTTPS redirect is tested with production settings.
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Most admin tests log staff in directly; tests/contribution/test_mfa.py enforces MFA.
ADMIN_REQUIRE_MFA = False

# Pages are rendered afresh in tests; tests/usecases/test_page_cache.py turns the cache on.
PAGE_CACHE_SECONDS = 0
COUNTS_CACHE_SECONDS = 0
# The catalogue index is shared through the per-process cache, emptied before each test.
LISTING_INDEX_CACHE = "pages"

# Links built from SITE_URL (e-mails, open-data records) point at the test client's host.
SITE_URL = "http://testserver"
