#!/usr/bin/env python3
"""The catalogue engine's own figures on the benchmark database (docs/catalogue.md).

1. The index: build time, memory held by a process, pickled size, time to load it from the
   shared cache (what a recycled worker or another node pays instead of building it).
2. Index against plain SQL for the list targets of bench/run.py: total, every facet's counts and
   the page's ids, computed by the index (`Listing`) and by the database alone (the criteria's
   SQL filters, one GROUP BY per facet, as `Listing.queryset()` gives them). Best of
   BENCH_REPEAT (4) after a first run, in ms, in process (no HTTP, no template).

    .venv/bin/python bench/engine.py
"""

import os
import pickle
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402  (bench/run.py: database, targets)

os.environ.update(run.app_env(f"{run.PG}/{run.DB}", page_cache=False))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliotheque.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.http import QueryDict  # noqa: E402

from usecases.listing import CRITERIA, Listing  # noqa: E402
from usecases.listing.index import ListingIndex  # noqa: E402
from usecases.models import UseCase  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "4"))
TARGETS = ["list", "list_1_filter", "list_2_filters", "list_3_filters", "search_common"]
TARGETS += ["search_rare", "search_2_filters", "list_page_50", "theme_page"]


def best(function):
    function()
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return 1000 * min(timings)


def held_bytes(index):
    """Bytes held by the index's ids, positions and option sets (the bulk of it)."""
    total = sys.getsizeof(index.ids) + sys.getsizeof(index.position_by_pk)
    for options in index.options.values():
        total += sum(sys.getsizeof(cases) for cases in options.values())
    total += sys.getsizeof(array("l", index.title_order))
    return total


def index_figures():
    started = time.perf_counter()
    index = ListingIndex()
    build = time.perf_counter() - started
    index.title_order  # noqa: B018 - read as a list sorted by title would.
    data = pickle.dumps(index, pickle.HIGHEST_PROTOCOL)
    load = best(lambda: pickle.loads(data))
    options = sum(len(values) for values in index.options.values())
    dense = sum(
        isinstance(cases, int) for values in index.options.values() for cases in values.values()
    )
    print(f"cases {index.size}, options {options} ({dense} as bit sets)")
    print(f"build {build * 1000:.0f} ms, held {held_bytes(index) / 2**20:.1f} MiB")
    print(f"pickled {len(data) / 2**20:.1f} MiB, unpickled in {load:.0f} ms")
    return index


def parameters(path):
    query = path.split("?", 1)[1] if "?" in path else ""
    scope = {"theme": run.THEME} if path.startswith("/themes/") else None
    return QueryDict(query), scope


def by_index(index, data, scope):
    listing = Listing(data, scope=scope, index=index)
    assert listing.is_valid(), listing.errors
    facets = listing.facets()
    page = int(data.get("page") or 1)
    ids = [
        case.pk
        for case in listing.page(UseCase.objects.published().only("pk"), 20 * (page - 1), 20)
    ]
    return listing.total, {facet.name: len(facet.options) for facet in facets}, ids


def by_sql(index, data, scope):
    listing = Listing(data, scope=scope, index=index)
    assert listing.is_valid(), listing.errors
    published = UseCase.objects.published()
    total = listing.queryset(published).count()
    counts = {}
    for criterion in CRITERIA:
        if listing.offered(criterion):
            rows = listing.queryset(published, without=criterion.name).order_by()
            grouped = rows.values(criterion.path).annotate(count=Count("pk", distinct=True))
            counts[criterion.name] = {row[criterion.path]: row["count"] for row in grouped}
    page = int(data.get("page") or 1)
    ids = list(
        listing.queryset(published).values_list("pk", flat=True)[20 * (page - 1) : 20 * page]
    )
    return total, counts, ids


def main():
    index = index_figures()
    sheet = UseCase.objects.published().order_by("pk").first().get_absolute_url()
    paths = dict(run.targets(sheet, "/"))
    print("| cible | index (ms) | SQL (ms) | résultats |")
    print("|---|---:|---:|---:|")
    for name in TARGETS:
        data, scope = parameters(paths[name])
        total, _counts, ids = by_index(index, data, scope)
        sql_total, _sql_counts, sql_ids = by_sql(index, data, scope)
        assert (total, ids) == (sql_total, sql_ids), name
        index_ms = best(lambda data=data, scope=scope: by_index(index, data, scope))
        sql_ms = best(lambda data=data, scope=scope: by_sql(index, data, scope))
        print(f"| {name} | {index_ms:.0f} | {sql_ms:.0f} | {total} |", flush=True)


if __name__ == "__main__":
    main()
