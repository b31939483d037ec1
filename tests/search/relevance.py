"""Relevance measures of the catalogue search over the real fixtures (tests/search/judgments.py).

The results are read as a visitor sees them: the catalogue page `/cas-d-usage/?q=…`, in its
default order (relevance for a search), first page. Measures per query, averaged per class:

- reciprocal rank (RR): 1 / rank of the first relevant result (grade ≥ 1), 0 if none on the page;
- nDCG@5: graded gain (2^grade - 1), discounted by log2(rank + 1), over the ideal ordering;
- recall@5: relevant cases in the top 5 over min(5, number of relevant cases);
- failure: no relevant case in the top 5;
- no-result queries: honest when the page shows no case at all.
"""

import gzip
import json
import math
import tempfile
from collections import defaultdict
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from collectivites.choices import Kind

from .judgments import CASES, QUERIES

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "use_cases.json"
REFERENTIAL = Path(settings.BASE_DIR) / "fixtures" / "collectivites-2026.json.gz"
TOP = 5


def load_real_catalogue():
    """Import the collectivités the fixture needs (with their EPCIs), then the real cases.

    The referential is cut down to those rows (and every région and département) and imported by
    the real command, so that names and places are the real ones, in seconds rather than a
    minute for the 36,000 collectivités.
    """
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))
    wanted = {
        (ref["kind"], ref["code"])
        for case in cases
        for ref in [case["collectivite"], *case["partners"]]
        if ref["kind"] != Kind.OTHER
    }
    with gzip.open(REFERENTIAL, "rt", encoding="utf-8") as handle:
        referential = json.load(handle)
    rows = [row for row in referential["collectivites"] if (row[0], row[1]) in wanted]
    epcis = {row[8] for row in rows if row[0] == Kind.COMMUNE and row[8]}
    rows += [
        row
        for row in referential["collectivites"]
        if row[0] in Kind.epci_kinds() and row[1] in epcis and (row[0], row[1]) not in wanted
    ]
    with tempfile.TemporaryDirectory() as folder:
        reduced = Path(folder) / "collectivites.json.gz"
        with gzip.open(reduced, "wt", encoding="utf-8") as handle:
            json.dump({**referential, "collectivites": rows}, handle)
        call_command("import_collectivites", fixture=reduced, stdout=StringIO())
    call_command("load_use_cases", stdout=StringIO())
    return {case["slug"] for case in cases}


def results(client, query):
    response = client.get(reverse("usecases:list"), {"q": query})
    assert response.status_code == 200, (query, response.status_code)
    page = response.context["page_obj"]
    return [use_case.slug for use_case in page.object_list], page.paginator.count


def _dcg(grades):
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def evaluate(present_slugs, client=None):
    """{"queries": [per-query rows], "classes": {class: figures}, "overall": figures}."""
    client = client or Client()
    rows = []
    for kind, query, judged in QUERIES:
        grades = {CASES[name]: grade for name, grade in judged.items()}
        grades = {slug: grade for slug, grade in grades.items() if slug in present_slugs}
        if kind != "no_result" and not grades:
            continue  # Its relevant cases are not in this version of the fixtures.
        found, count = results(client, query)
        row = {"class": kind, "query": query, "top": found[:TOP], "count": count}
        if kind == "no_result":
            row["honest"] = count == 0
        else:
            relevant = [index for index, slug in enumerate(found) if grades.get(slug, 0) >= 1]
            row["rr"] = 1 / (relevant[0] + 1) if relevant else 0.0
            top_grades = [grades.get(slug, 0) for slug in found[:TOP]]
            ideal = sorted(grades.values(), reverse=True)[:TOP]
            row["ndcg"] = _dcg(top_grades) / _dcg(ideal)
            hits = sum(1 for grade in top_grades if grade >= 1)
            row["recall"] = hits / min(TOP, len(grades))
            row["fail"] = hits == 0
        rows.append(row)
    by_class = defaultdict(list)
    for row in rows:
        by_class[row["class"]].append(row)
    classes = {kind: _figures(members) for kind, members in by_class.items()}
    return {"queries": rows, "classes": classes, "overall": _figures(rows)}


def _figures(rows):
    ranked = [row for row in rows if "rr" in row]
    empty = [row for row in rows if "honest" in row]
    figures = {"queries": len(rows)}
    if ranked:
        figures.update(
            mrr=sum(row["rr"] for row in ranked) / len(ranked),
            ndcg5=sum(row["ndcg"] for row in ranked) / len(ranked),
            recall5=sum(row["recall"] for row in ranked) / len(ranked),
            fail_rate=sum(row["fail"] for row in ranked) / len(ranked),
        )
    if empty:
        figures["honest"] = sum(row["honest"] for row in empty) / len(empty)
    return figures


def report(evaluation):
    """The figures as a plain-text table, per class then overall."""
    lines = [f"{'class':<10} {'n':>3} {'MRR':>5} {'nDCG5':>6} {'R@5':>5} {'fail':>5} {'honest':>6}"]
    for kind, figures in [
        *sorted(evaluation["classes"].items()),
        ("overall", evaluation["overall"]),
    ]:
        lines.append(
            f"{kind:<10} {figures['queries']:>3} "
            + " ".join(
                f"{figures[key]:>{width}.2f}" if key in figures else " " * width
                for key, width in (
                    ("mrr", 5),
                    ("ndcg5", 6),
                    ("recall5", 5),
                    ("fail_rate", 5),
                    ("honest", 6),
                )
            )
        )
    return "\n".join(lines)


def misses(evaluation):
    """The queries that fall short, for tuning: rank of the first relevant, top results."""
    lines = []
    for row in evaluation["queries"]:
        if row.get("honest") is False or row.get("rr", 1) < 1 or row.get("recall", 1) < 1:
            lines.append(f"{row['class']:<9} {row['query']!r}: {row}")
    return "\n".join(lines)
