import importlib
from contextlib import contextmanager

import pytest

from tests.factories import CollectiviteFactory, UseCaseFactory, contributor, moderator
from usecases.models import Technique, Theme


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Rate limits, throttles, pages and the catalogue index are cached: each test starts afresh.

    The rate-limit counters live in a database table ("default" cache): they are cleared for
    tests that use the database (a transactional test's flush leaves that table alone).
    """
    from django.core.cache import caches

    from usecases.listing import forget_index

    caches["pages"].clear()
    forget_index()
    uses_db = request.node.get_closest_marker("django_db") is not None or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
        caches["default"].clear()
    yield
    caches["pages"].clear()
    forget_index()


@pytest.fixture(autouse=True)
def _catalogue_version_follows_test_transactions(settings, monkeypatch):
    """With the caches on (tests.settings_caches), bump the catalogue version at once.

    In production it is bumped when the change commits; a test's transaction never commits,
    and its own connection sees the change at once: bumping then is what a visitor sees after
    the commit.
    """
    if settings.PAGE_CACHE_SECONDS or settings.COUNTS_CACHE_SECONDS:
        from types import SimpleNamespace

        immediately = SimpleNamespace(on_commit=lambda func, *args, **kwargs: func())
        monkeypatch.setattr("usecases.pagecache.transaction", immediately)


def _warm_process_caches(settings):
    """What a process reads once and keeps, read before a request is counted, as a serving
    worker has it: the case's content type (taggit's lookups), and with the caches on the
    index of the current catalogue version (once per version and process, not per request).
    Without this, a bound would depend on which test ran first in the process."""
    from django.contrib.contenttypes.models import ContentType

    from usecases.models import UseCase

    ContentType.objects.get_for_model(UseCase)
    if settings.COUNTS_CACHE_SECONDS:
        from usecases.listing import current_index

        current_index()


# With the caches on, a request reads the catalogue version once (usecases.pagecache): a fixed
# cost of one one-row query, counted apart as the rate-limit counters are.
VERSION_TABLE = '"usecases_catalogueversion"'


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries, settings):
    """Count a request as production serves it (_warm_process_caches); with the caches on, the
    catalogue version's read is counted apart (at most one per request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def warmed(num, *args, **kwargs):
        _warm_process_caches(settings)
        if not (settings.PAGE_CACHE_SECONDS or settings.COUNTS_CACHE_SECONDS):
            with django_assert_max_num_queries(num, *args, **kwargs) as captured:
                yield captured
            return
        with CaptureQueriesContext(connection) as captured:
            yield captured
        queries = [query["sql"] for query in captured.captured_queries]
        version = [sql for sql in queries if VERSION_TABLE in sql]
        others = [sql for sql in queries if VERSION_TABLE not in sql]
        assert len(others) <= num, (
            f"Expected to perform {num} queries or less but {len(others)} were done:\n\n"
            + "\n\n".join(others)
        )
        assert len(version) <= 1, "\n\n".join(version)

    return warmed


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Restore the rows data migrations create, after a transactional test flushed them.

    Tests marked django_db(transaction=True) and live-server tests end with a flush that
    empties every table, themes and the moderators group included.
    """
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
    from django.apps import apps

    if Theme.objects.exists():
        return
    reference = importlib.import_module("usecases.migrations.0002_reference_data")
    group = importlib.import_module("usecases.migrations.0007_moderators_group")
    from django.contrib.auth.models import Group, Permission

    reference.create_reference_data(apps, None)
    group.assign_permissions(Group, Permission)
    importlib.import_module(
        "usecases.mutualisation.migrations.0002_moderator_permissions"
    ).assign_permissions(Group, Permission)


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    return transactional or {"transactional_db", "live_server"} & set(request.fixturenames)


# Contribution fixtures, shared by tests/contribution and tests/security.
COMPLETE = {
    "title": "Détecter les fuites du réseau d’eau potable",
    "summary": "Un modèle classe les tronçons par probabilité de fuite.",
    "need": "Le réseau perd un quart de l’eau produite.",
    "solution": "Les équipes cherchent d’abord là où le modèle voit des fuites.",
    "stage": "experiment",
    "start_year": "2024",
    "build_mode": "vendor",
    "hosting": "unknown",
    "contact_email": "eau@agglo-exemple.fr",
    "tags": "eau potable, fuites",
}


@pytest.fixture
def complete_data(db):
    return {
        **COMPLETE,
        "theme": Theme.objects.get(slug="transition-ecologique-et-energetique").pk,
        "techniques": [Technique.objects.get(slug="apprentissage-automatique").pk],
    }


@pytest.fixture
def author(db):
    return contributor(
        collectivite=CollectiviteFactory(name="Sicoval", kind="ca", code="243100633")
    )


@pytest.fixture
def other(db):
    return contributor()


@pytest.fixture
def mod(db):
    return moderator(username="moderatrice@example.org")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def draft(author):
    return UseCaseFactory(
        author=author, collectivite=author.contributor_profile.collectivite, status="draft"
    )


# What one rate-limit check costs in the database cache (bibliotheque.cache): an upsert, a read
# and a conditional update, and now and then the deletion of expired counters.
LIMIT_QUERIES = 4


@pytest.fixture
def django_assert_max_catalogue_queries(settings):
    """django_assert_max_num_queries for throttled views: the counter's queries counted apart.

    The API throttle keeps its counter in the database cache: its queries are a fixed cost,
    bounded by LIMIT_QUERIES, while `num` bounds every other query.
    """
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bibliotheque.deployment import LIMITS_CACHE_TABLE

    @contextmanager
    def assert_max(num):
        _warm_process_caches(settings)  # As django_assert_max_num_queries.
        with CaptureQueriesContext(connection) as captured:
            yield captured
        limit = [
            query["sql"]
            for query in captured.captured_queries
            if LIMITS_CACHE_TABLE in query["sql"]
        ]
        others = [query["sql"] for query in captured.captured_queries if query["sql"] not in limit]
        assert len(others) <= num, "\n\n".join(others)
        assert len(limit) <= LIMIT_QUERIES, "\n\n".join(limit)

    return assert_max
