"""Settings of the Bibliothèque d'IA territoriales.

One module, driven by the environment (see `.env.example`). Defaults are safe: DEBUG is off
and a secret key is required unless DEBUG is explicitly turned on, by the environment or, in a
development clone, by the file `make run` writes (var/dev.env, see load_development_env).
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from bibliotheque.deployment import cache_settings, s3_storage, static_security_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def load_development_env(path, environ=os.environ):
    """Defaults for a development clone, from the file `make run` writes (var/dev.env).

    So that `.venv/bin/python manage.py shell` works after `make run` with no variable to
    export. Read only when the environment leaves DJANGO_DEBUG unset and the file turns it on:
    a production process sets its own environment, and the image never holds var/
    (.dockerignore). Variables already in the environment win.
    """
    if "DJANGO_DEBUG" in environ or not path.is_file():
        return
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.lstrip().startswith("#"):
            values[key.strip()] = value.strip()
    if values.get("DJANGO_DEBUG", "").lower() in {"1", "true", "yes", "on"}:
        for key, value in values.items():
            environ.setdefault(key, value)


DEVELOPMENT_ENV_FILE = BASE_DIR / "var" / "dev.env"
load_development_env(DEVELOPMENT_ENV_FILE)

DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example)."
        )
    # Development only: a key that is obviously not a secret.
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "corsheaders",
    "taggit",
    "rest_framework",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_ratelimit",
    "collectivites",
    "usecases",
    "accounts",
    "alerts",
    "reviews",
    "widget",
    "usecases.mutualisation",
    "bibliotheque",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "bibliotheque.middleware.PermissionsPolicyMiddleware",
    "bibliotheque.middleware.DatabaseUnavailableMiddleware",
    "bibliotheque.middleware.RequestHygieneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "usecases.pagecache.PageCacheUpdateMiddleware",
    "usecases.pagecache.PageCacheFetchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.mfa.StaffMFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "bibliotheque.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "bibliotheque.context_processors.site",
            ],
            # {{ text|typo }}: French typography for user-written text, in every template.
            "builtins": ["bibliotheque.templatetags.typographie"],
        },
    },
]

WSGI_APPLICATION = "bibliotheque.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Twelve characters at least (ANSSI, CNIL); no upper bound below 64, no composition rule.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.SiteWordsValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
# The project's own wording first: it overrides Django's where that reads badly in French.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Static files answer before the CSP and X-Frame-Options middlewares: they get theirs here.
WHITENOISE_ADD_HEADERS_FUNCTION = static_security_headers
# Beyond one machine, uploads go to S3-compatible object storage (docs/deploiement.md).
if os.environ.get("DJANGO_STORAGE", "filesystem") == "s3":
    STORAGES["default"] = s3_storage(os.environ)

# "default": rate-limit counters, shared and never evicted by traffic (a database table, or
# Redis with CACHE_URL=redis://…); "pages": the page cache (per process, or Redis).
CACHES = cache_settings(os.environ.get("CACHE_URL", ""))
# Django's cache middlewares (usecases.pagecache) and per-version figures use the "pages" alias.
CACHE_MIDDLEWARE_ALIAS = "pages"

# The client's address behind reverse proxies: how many trusted proxies append to
# X-Forwarded-For (0: the header is ignored). bibliotheque.limits.client_address reads it;
# allauth, DRF and django-ratelimit are pointed at the same value and function.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "bibliotheque.limits.client_address"
RATELIMIT_IPV6_MASK = 64
# django-ratelimit warns about any backend outside its list; ours increments atomically
# (bibliotheque.cache.CounterDatabaseCache; Django's RedisCache uses Redis' INCR).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# E-mail: printed to the console in development, SMTP configured from the environment otherwise.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
        "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Bibliothèque d'IA territoriales <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. The site loads nothing from another host and runs no inline script.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "bibliotheque.views.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS >= 31536000)
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Publisher details for the legal pages: filled in by the real operator, never invented.
SITE_NAME = "Bibliothèque d’IA territoriales"
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "")
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "")
SITE_PUBLISHER_ADDRESS = os.environ.get("SITE_PUBLISHER_ADDRESS", "")
SITE_PUBLICATION_DIRECTOR = os.environ.get("SITE_PUBLICATION_DIRECTOR", "")
SITE_HOST_NAME = os.environ.get("SITE_HOST_NAME", "")
SITE_HOST_ADDRESS = os.environ.get("SITE_HOST_ADDRESS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

TAGGIT_CASE_INSENSITIVE = True
# ASCII tag slugs keep filter URLs readable: ?mot_cle=energie.
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True

# Catalogue tuning.
USE_CASES_PER_PAGE = 20
# Anonymous catalogue pages served from the cache (usecases.pagecache); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_VIEWS = {
    "home",
    "usecases:list",
    "usecases:theme",
    "usecases:detail",
    "usecases:map",
    "usecases:map_image",
    # A sheet's history and the widget other sites frame change with the catalogue too.
    "reviews:history",
    "widget:embed",
}
# The in-memory catalogue index (usecases.listing) and the home page's figures are rebuilt once per
# catalogue version, and at least this often; 0: on every request (tests).
COUNTS_CACHE_SECONDS = int(os.environ.get("DJANGO_COUNTS_CACHE_SECONDS", "3600"))
# Where a built catalogue index is shared with the other processes (docs/catalogue.md): Redis
# shares it with every node; without it, files in the temporary folder, with this machine's.
# Never the "default" alias: it holds the rate-limit counters.
LISTING_INDEX_CACHE = CACHE_MIDDLEWARE_ALIAS
if CACHES[CACHE_MIDDLEWARE_ALIAS]["BACKEND"].endswith("LocMemCache"):
    CACHES["catalogue-index"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(tempfile.gettempdir()) / "bibliotheque-catalogue-index",
        "OPTIONS": {"MAX_ENTRIES": 20},
    }
    LISTING_INDEX_CACHE = "catalogue-index"
SEARCH_MAX_LENGTH = 200

# Production hardening (docs/deploiement.md). Cookies with the __Host- prefix are only accepted
# by browsers over HTTPS, for the exact host and path "/", so they cannot be set by a sibling
# subdomain.
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_HTTPONLY = True  # No script reads the token: forms carry it.
# Probes and load balancers speak plain HTTP to the container (bin/healthcheck.py).
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]

# Structured logs (one JSON object per line on stdout) for log shippers: DJANGO_LOG_FORMAT=json.
LOGGING["formatters"]["json"] = {"()": "bibliotheque.logging.JsonFormatter"}
if os.environ.get("DJANGO_LOG_FORMAT", "plain") == "json":
    LOGGING["handlers"]["console"].update(formatter="json", stream="ext://sys.stdout")

# Accounts (django-allauth): e-mail login, mandatory verification, rate limits, MFA.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "usecases:my_contributions"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {"signup": "accounts.signup.ProfessionalSignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Bibliothèque d’IA territoriales] "
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Bibliothèque d’IA territoriales"
ADMIN_REQUIRE_MFA = env_bool("DJANGO_ADMIN_REQUIRE_MFA", default=True)

# Contribution.
MODERATORS_GROUP = "Modérateurs"
ERROR_REPORTS_PER_HOUR = 5
# Alerts without an account: valid subscription requests per client address and hour, and
# requests for one e-mail address per day from all clients (docs/securite.md).
ALERT_REQUESTS_PER_HOUR = 10
ALERT_REQUESTS_PER_ADDRESS = 3
# « Contacter l’équipe » (usecases.mutualisation.views.contact): messages kept this long, then
# purged by `manage.py purge_accounts` (the retention command of /donnees-personnelles/).
CONTACT_RETENTION_DAYS = 30
# Limits (bibliotheque.limits rates): contact messages per client and per sheet, « nous aussi »
# declarations per client.
CONTACT_RATE_PER_CLIENT = "5/h"
CONTACT_RATE_PER_SHEET = "20/d"
REUSE_DECLARATION_RATE = "20/h"

# The open data (API, downloads, schema) is public, read-only and without credentials: any site
# may read it from the browser (CORS, django-cors-headers). Nothing else is shared.
CORS_URLS_REGEX = r"^/(api/v1/|donnees/(cas-d-usage\.(csv|json|ods)$|schema/))"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# Uploads and per-account quotas (usecases.quotas, docs/securite.md). One document weighs at most
# DOCUMENT_MAX_BYTES; a request body over REQUEST_MAX_BYTES is refused with 413 before it is read
# (bibliotheque.middleware.RequestHygieneMiddleware) — the proxy's client_max_body_size must
# be the same (11m). Form fields are read in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE, files up
# to FILE_UPLOAD_MAX_MEMORY_SIZE, then streamed to a temporary file.
MIB = 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * MIB
REQUEST_MAX_BYTES = DOCUMENT_MAX_BYTES + MIB
DATA_UPLOAD_MAX_MEMORY_SIZE = MIB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * MIB
CONTRIBUTOR_OPEN_CASES_MAX = int(os.environ.get("CONTRIBUTOR_OPEN_CASES_MAX", "10"))
CONTRIBUTOR_DOCUMENTS_MAX = int(os.environ.get("CONTRIBUTOR_DOCUMENTS_MAX", "30"))
CONTRIBUTOR_DOCUMENTS_BYTES_MAX = int(os.environ.get("CONTRIBUTOR_DOCUMENTS_MB_MAX", "100")) * MIB
UPLOAD_RATE = os.environ.get("UPLOAD_RATE", "20/h")

# Open data: the read-only API (/api/v1/), anonymous, JSON only, rate-limited per client.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_RATE},
    # The throttle keys on bibliotheque.limits.client_address; kept consistent for any other.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de la Bibliothèque d’IA territoriales",
    "DESCRIPTION": "Les cas d’usage publiés, les thèmes et les collectivités, en lecture seule. "
    "Documentation : /api/. Données sous Licence Ouverte 2.0 (Etalab).",
    "VERSION": "1.0.0",
    "LICENSE": {
        "name": "Licence Ouverte 2.0 (Etalab)",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# Absolute links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
