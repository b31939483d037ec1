"""Production settings come from the environment and fail closed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from bibliotheque.deployment import cache_settings, s3_storage

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_KEY = "check-deploy-tests-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP"


def clean_env(**values):
    """A process environment with none of the caller's Django or database variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR"}
    }
    env.update(values)
    return env


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_env_example():
    values = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def test_settings_refuse_to_load_without_a_secret_key():
    """Without DJANGO_SECRET_KEY and with DEBUG off, importing the settings fails loudly."""
    result = run_python("import bibliotheque.settings", clean_env())
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked_for():
    """An environment that says nothing about DEBUG gets DEBUG off and production defaults."""
    code = (
        "import bibliotheque.settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    result = run_python(code, clean_env(DJANGO_SECRET_KEY=STRONG_KEY))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "31536000", "True", "True"]


def test_check_deploy_passes_with_the_documented_production_environment():
    """`check --deploy --fail-level WARNING` is clean with .env.example plus a real secret key."""
    env = clean_env(**read_env_example())
    env.update(DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_SETTINGS_MODULE="bibliotheque.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_an_insecure_configuration():
    """The same check fails when DEBUG is on: the gate is not vacuous."""
    env = clean_env(DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="bibliotheque.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout


def test_production_cookies_are_secure_host_only_and_httponly(settings):
    """Session and CSRF cookies: __Host- prefix, Secure, HttpOnly, SameSite=Lax."""
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_json_logs_are_switched_on_by_the_environment():
    """DJANGO_LOG_FORMAT=json routes the console handler through the JSON formatter to stdout."""
    code = (
        "import bibliotheque.settings as s; h = s.LOGGING['handlers']['console']; "
        "print(h['formatter'], h.get('stream'))"
    )
    result = run_python(code, clean_env(DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_LOG_FORMAT="json"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["json", "ext://sys.stdout"]


def test_without_cache_url_counters_are_in_the_database_and_pages_per_process():
    caches = cache_settings("")
    assert caches["default"]["BACKEND"] == "bibliotheque.cache.CounterDatabaseCache"
    assert caches["pages"]["BACKEND"].endswith("LocMemCache")


def test_cache_url_selects_django_redis_cache_with_short_timeouts():
    """CACHE_URL=redis://… configures Django's RedisCache; several URLs mean primary + replicas."""
    cache = cache_settings("redis://cache.internal:6379/1")["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/1"
    assert cache["OPTIONS"]["socket_timeout"] <= 5
    replicated = cache_settings("redis://primary:6379/0, redis://replica:6379/0")["default"]
    assert replicated["LOCATION"] == ["redis://primary:6379/0", "redis://replica:6379/0"]
    pages = cache_settings("redis://cache.internal:6379/1")["pages"]
    assert pages["LOCATION"] == cache["LOCATION"]
    assert pages["KEY_PREFIX"] != cache["KEY_PREFIX"]


def test_cache_url_with_another_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured):
        cache_settings("memcached://127.0.0.1:11211")


def test_redis_cache_works_against_a_real_server():
    """The configured backend really stores and reads through redis-py (local Redis, if any)."""
    import redis
    from django.core.cache.backends.redis import RedisCache

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"no Redis server at {url}")
    config = cache_settings(url)["default"]
    cache = RedisCache(config["LOCATION"], {k: v for k, v in config.items() if k != "LOCATION"})
    cache.set("essai-deploiement", {"cas": 3}, timeout=30)
    assert cache.get("essai-deploiement") == {"cas": 3}
    cache.delete("essai-deploiement")


def test_s3_storage_needs_a_bucket():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_S3_BUCKET"):
        s3_storage({})


def test_s3_storage_is_private_and_never_overwrites(monkeypatch):
    """DJANGO_STORAGE=s3: signed URLs, no public ACL, no overwrite; credentials stay out."""
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object())
    storage = s3_storage(
        {
            "DJANGO_S3_BUCKET": "bibliotheque-media",
            "DJANGO_S3_ENDPOINT_URL": "https://s3.fr-par.example.net",
            "DJANGO_S3_REGION": "fr-par",
            "AWS_SECRET_ACCESS_KEY": "not-in-settings",
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "bibliotheque-media"
    assert options["endpoint_url"] == "https://s3.fr-par.example.net"
    assert options["querystring_auth"] is True
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert "not-in-settings" not in repr(storage)
