#!/usr/bin/env python3
"""Time one request per benchmark target inside the process (no HTTP, no load generator).

The "before / after" figures of bench/results: Django's test client against the benchmark
database (bench/run.py prepares it), page cache off, best of BENCH_REPEAT (4) after a first
request that builds what a worker keeps (the catalogue index). Prints a Markdown table row.

    .venv/bin/python bench/steps.py [label]
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402  (bench/run.py: database, targets)

os.environ.update(run.app_env(f"{run.PG}/{run.DB}", page_cache=False))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliotheque.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from usecases.models import UseCase  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "4"))
COLUMNS = [
    ("home", "accueil"),
    ("list", "liste"),
    ("list_1_filter", "1 filtre"),
    ("list_2_filters", "2 filtres"),
    ("list_3_filters", "3 filtres"),
    ("search_common", "mot courant"),
    ("search_rare", "mot rare"),
    ("search_2_filters", "mot + 2 filtres"),
    ("list_page_50", "page 50"),
    ("list_last_page", "page 5000"),
    ("sheet", "fiche"),
    ("api_list_filters", "API"),
]


def main():
    client = Client(HTTP_HOST="127.0.0.1")
    sheet = UseCase.objects.published().order_by("pk").first().get_absolute_url()
    paths = dict(run.targets(sheet, "/"))
    paths["list_last_page"] = "/cas-d-usage/?page=5000"
    cells = []
    for name, _title in COLUMNS:
        assert client.get(paths[name]).status_code == 200, paths[name]
        best = None
        for _ in range(REPEAT):
            started = time.perf_counter()
            client.get(paths[name])
            elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
        cells.append(f"{1000 * best:.0f}")
    label = sys.argv[1] if len(sys.argv) > 1 else "mesure"
    print("| étape | " + " | ".join(title for _name, title in COLUMNS) + " |")
    print("|---|" + "---:|" * len(COLUMNS))
    print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
