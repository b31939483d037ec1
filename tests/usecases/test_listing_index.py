"""The in-memory catalogue index: bit sets, sparse options, orders, versions and staleness."""

import datetime
import logging
import random
import runpy
from types import SimpleNamespace

import pytest
from django.db import OperationalError, connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bibliotheque.deployment import LIMITS_CACHE_TABLE
from tests.factories import UseCaseFactory, theme
from tests.usecases.test_listing import catalogue  # noqa: F401
from usecases.choices import Status
from usecases.listing import Listing, current_index
from usecases.listing import index as listing_index
from usecases.listing.bits import BitView, mask_of, positions_of
from usecases.models import Technique, UseCase
from usecases.search import matching_pks, search_use_cases

pytestmark = pytest.mark.django_db


def test_bit_sets_round_trip():
    rng = random.Random(7)
    positions = sorted(rng.sample(range(5000), 700))
    mask = mask_of(positions)
    assert list(positions_of(mask)) == positions
    assert mask.bit_count() == 700
    view = BitView(mask)
    assert all(position in view for position in positions)
    assert not any(position in view for position in set(range(6000)) - set(positions))
    assert view.count(range(6000)) == 700
    assert mask_of([]) == 0 and list(positions_of(0)) == []


def page_of(params, offset=0, limit=50):
    listing = Listing(QueryDict(params))
    assert listing.is_valid(), listing.errors
    return listing.page(UseCase.objects.published(), offset, limit), listing


@pytest.mark.parametrize(
    "params",
    ["", "tri=titre", "q=données", "q=données&tri=recent", "theme=mobilites&tri=titre"],
)
@pytest.mark.parametrize("offset", [0, 5, 17])
def test_pages_come_in_the_order_of_the_sql_selection(catalogue, params, offset):  # noqa: F811
    page, listing = page_of(params, offset, 6)
    assert page == list(listing.queryset(UseCase.objects.published())[offset : offset + 6])


@pytest.mark.parametrize("params", ["", "tri=titre", "q=données", "theme=mobilites&q=voirie"])
def test_iterated_rows_are_the_sql_selection(catalogue, params):  # noqa: F811
    """Exports and feeds read every result, in chunks, in the listing's order."""
    listing = Listing(QueryDict(params))
    assert listing.is_valid()
    expected = list(listing.queryset(UseCase.objects.published()))
    assert list(listing.iterate(UseCase.objects.published(), chunk_size=4)) == expected
    newest = sorted(expected, key=lambda case: (case.published_at, case.pk), reverse=True)
    rows = listing.iterate(UseCase.objects.published(), newest_first=True, limit=5)
    assert list(rows) == newest[:5]


def test_equal_dates_and_titles_are_ordered_by_id():
    moment = timezone.now()
    cases = [
        UseCaseFactory(published=True, title="Même titre", slug=f"meme-titre-{number}")
        for number in range(5)
    ]
    UseCase.objects.update(published_at=moment)
    assert page_of("")[0] == sorted(cases, key=lambda case: case.pk, reverse=True)
    assert page_of("tri=titre")[0] == sorted(cases, key=lambda case: case.pk)


def test_a_theme_page_counts_within_its_theme(client):
    for slug in ["mobilites", "mobilites", "transition-ecologique-et-energetique"]:
        UseCaseFactory(published=True, theme=theme(slug), stage="idea")
    response = client.get(reverse("usecases:theme", args=["mobilites"]))
    assert response.context["page_obj"].paginator.count == 2
    stage = next(facet for facet in response.context["facets"] if facet.name == "stade")
    assert {option.value: option.count for option in stage.options}["idea"] == 2
    assert "theme" not in [facet.name for facet in response.context["facets"]]


def test_a_case_withdrawn_since_the_index_was_built_is_not_shown(client, settings):
    """The index is kept per catalogue version; the page reads published cases only."""
    settings.COUNTS_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0  # The index alone: each request renders its page.
    kept = UseCaseFactory(published=True, title="Gardé")
    withdrawn = UseCaseFactory(published=True, title="Retiré")
    assert client.get(reverse("usecases:list")).context["page_obj"].paginator.count == 2
    # A change that did not bump the version (a raw UPDATE): the index is stale.
    UseCase.objects.filter(pk=withdrawn.pk).update(status=Status.ARCHIVED)
    response = client.get(reverse("usecases:list"))
    assert list(response.context["page_obj"].object_list) == [kept]
    assert "Retiré" not in response.content.decode()


def test_a_stale_index_sorts_by_title_without_newer_cases(client, settings):
    settings.COUNTS_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0  # The index alone: each request renders its page.
    kept = UseCaseFactory(published=True, title="B")
    withdrawn = UseCaseFactory(published=True, title="A")
    draft = UseCaseFactory(title="0")
    assert client.get(reverse("usecases:list")).status_code == 200  # Builds the index.
    # Changes that did not bump the version (raw UPDATEs), before the first sort by title.
    UseCase.objects.filter(pk=withdrawn.pk).update(status=Status.ARCHIVED)
    UseCase.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    response = client.get(reverse("usecases:list"), {"tri": "titre"})
    assert list(response.context["page_obj"].object_list) == [kept]


def test_the_index_is_rebuilt_when_the_catalogue_changes(
    client, settings, django_capture_on_commit_callbacks
):
    settings.COUNTS_CACHE_SECONDS = 300
    UseCaseFactory(published=True)
    first = current_index()
    assert current_index() is first
    with django_capture_on_commit_callbacks(execute=True):
        UseCaseFactory(published=True)
    second = current_index()
    assert second is not first and second.size == 2


def test_filter_choices_follow_the_catalogue(client, settings, django_capture_on_commit_callbacks):
    """The index holds the filters' choices: a technique added in the admin is offered."""
    settings.COUNTS_CACHE_SECONDS = 300
    UseCaseFactory(published=True)
    assert client.get(reverse("usecases:list"), {"technique": "vision-3d"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        Technique.objects.create(slug="vision-3d", name="Vision 3D", position=99)
    response = client.get(reverse("usecases:list"), {"technique": "vision-3d"})
    assert response.status_code == 200
    assert 'value="vision-3d"' in response.content.decode()


def test_the_index_expires_after_counts_cache_seconds(settings, monkeypatch):
    settings.COUNTS_CACHE_SECONDS = 300
    UseCaseFactory(published=True)
    first = current_index()
    later = listing_index.time.time() + 301
    monkeypatch.setattr(listing_index.time, "time", lambda: later)
    # Neither this process's copy nor the shared one is used any more: built again.
    with CaptureQueriesContext(connection) as queries:
        assert current_index() is not first
    assert any("ORDER BY" in query["sql"] for query in queries.captured_queries)


def test_a_list_page_costs_few_queries_once_the_index_is_built(
    client, settings, django_assert_max_num_queries
):
    """Production settings: the index (with the filter choices) is built once per version,
    then a searched and filtered page costs the version, the tags' check, the search (on
    PostgreSQL: the planner settings, the matching ids, then the relevance of those ids with the
    field weights) and its cards with their techniques: 7 at most, whatever the page."""
    settings.COUNTS_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0  # Rendered, not served from the page cache.
    for number in range(30):
        UseCaseFactory(
            published=True,
            title=f"Service des données {number}",
            techniques=["optimisation"],
            tags=["eau"],
            published_at=timezone.now() - datetime.timedelta(days=number),
        )
    params = {"q": "données", "technique": "optimisation", "mot_cle": "eau", "page": "2"}
    assert client.get(reverse("usecases:list"), params).status_code == 200
    with django_assert_max_num_queries(7):
        response = client.get(reverse("usecases:list"), params)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 30


def test_search_ids_match_the_search_queryset(catalogue):  # noqa: F811
    for query in ["données", "DONNEES", "voirie", "introuvable", "!!"]:
        expected = set(search_use_cases(UseCase.objects.all(), query).values_list("pk", flat=True))
        assert set(matching_pks(query)) == expected, query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan")
def test_search_ids_are_read_through_the_gin_index(catalogue, django_assert_max_num_queries):  # noqa: F811
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        matching_pks("données")
    statement = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        # The planner settings of matching_pks() stay for the test's transaction.
        cursor.execute("EXPLAIN " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "usecase_search_vector_gin" in plan and "Seq Scan" not in plan, plan


def gunicorn_hook(name="post_worker_init"):
    from django.conf import settings

    return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))[name]


@pytest.mark.django_db(transaction=True)
def test_the_gunicorn_master_builds_the_index_before_forking(settings, django_assert_num_queries):
    """Workers are forked with the index in memory (preload_app): none builds it again."""
    import gc

    settings.COUNTS_CACHE_SECONDS = 300
    UseCaseFactory(published=True)
    assert runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["preload_app"] is True
    try:
        gunicorn_hook("when_ready")(SimpleNamespace(log=logging.getLogger("test")))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    with django_assert_num_queries(1):  # In a forked worker: the catalogue version only.
        gunicorn_hook()(SimpleNamespace(log=logging.getLogger("test")))
    assert current_index().size == 1


@pytest.mark.django_db(transaction=True)
def test_a_gunicorn_worker_builds_the_index_before_its_first_request(
    settings, django_assert_num_queries
):
    settings.COUNTS_CACHE_SECONDS = 300
    UseCaseFactory(published=True)
    worker = SimpleNamespace(log=logging.getLogger("test"))
    gunicorn_hook()(worker)
    with django_assert_num_queries(1):  # The catalogue version only.
        assert current_index().size == 1


def test_a_worker_starts_even_if_the_index_cannot_be_built(settings, monkeypatch, caplog):
    settings.COUNTS_CACHE_SECONDS = 300

    def unreachable():
        raise OperationalError("la base ne répond pas")

    monkeypatch.setattr("usecases.listing.current_index", unreachable)
    worker = SimpleNamespace(log=logging.getLogger("test.worker"))
    gunicorn_hook()(worker)
    assert "Catalogue index not built at start-up" in caplog.text


def test_the_api_takes_its_count_from_the_index(client):
    """Relevance or date depends on the number of results: the index gives it, no SQL count."""
    from django.test.utils import CaptureQueriesContext

    UseCaseFactory(published=True, title="Service des données")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:usecase-list"), {"q": "données"})
    assert response.json()["count"] == 1
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # The throttle's counter store (the database cache) counts its own rows when it writes.
    assert not [sql for sql in counts if LIMITS_CACHE_TABLE not in sql]


def test_another_process_loads_the_index_instead_of_building_it(
    settings, django_assert_num_queries
):
    """A recycled worker or another node reads the built index from the shared cache."""
    settings.COUNTS_CACHE_SECONDS = 300
    UseCaseFactory(published=True, techniques=["optimisation"], tags=["eau"])
    built = current_index()
    listing_index.forget_index()  # As in a new process.
    with django_assert_num_queries(1):  # The catalogue version only.
        loaded = current_index()
    assert loaded is not built
    assert loaded.ids == built.ids and loaded.options == built.options
    assert loaded.reference == built.reference and loaded.labels == built.labels


def test_a_process_waits_for_the_one_building_the_same_version(
    settings, monkeypatch, django_assert_num_queries
):
    """One build per catalogue version, not one per worker and node."""
    from usecases.pagecache import catalogue_version

    settings.COUNTS_CACHE_SECONDS = 300
    UseCaseFactory(published=True)
    built = current_index()
    listing_index.forget_index()
    key = f"listing-index:{connection.settings_dict['NAME']}:{catalogue_version()}"
    shared = listing_index._shared_cache()
    stored = shared.get(key)
    shared.delete(key)
    shared.add(key + ":building", 1, 30)  # Another process is building this version…
    # …and stores it while this one waits.
    monkeypatch.setattr(listing_index.time, "sleep", lambda seconds: shared.set(key, stored))
    with django_assert_num_queries(1):  # The catalogue version: nothing built here.
        assert current_index().ids == built.ids
