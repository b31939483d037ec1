"""The search's relevance over the real fixtures, per failure class, on the database
the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL): figures in the report of
`pytest tests/search/test_relevance.py -s`."""

import pytest

from .relevance import evaluate, load_real_catalogue, misses, report

_FIGURES = {}


@pytest.fixture
def evaluation(db):
    """The figures, measured once per run (by the first test) on the real catalogue."""
    if not _FIGURES:
        present = load_real_catalogue()
        _FIGURES.update(evaluate(present))
        print("\n" + report(_FIGURES) + "\n" + misses(_FIGURES))
    return _FIGURES


def test_overall_targets(evaluation):
    overall = evaluation["overall"]
    assert overall["queries"] >= 60
    assert overall["mrr"] >= 0.90
    assert overall["ndcg5"] >= 0.85
    assert overall["recall5"] >= 0.90
    # At most one query in twenty with nothing relevant in its first five results.
    assert overall["fail_rate"] <= 0.05


@pytest.mark.parametrize(
    "kind", ["acronym", "synonym", "typo", "sentence", "place", "precision", "plain"]
)
def test_each_class_holds(evaluation, kind):
    """No class is sacrificed to the average."""
    figures = evaluation["classes"][kind]
    assert figures["queries"] >= 5
    assert figures["mrr"] >= 0.85, figures
    assert figures["ndcg5"] >= 0.75, figures
    assert figures["recall5"] >= 0.70, figures
    assert figures["fail_rate"] <= 0.15, figures


def test_queries_without_relevant_case_stay_honest(evaluation):
    """« Aucun cas d’usage ne correspond »: no near miss shown for these."""
    assert evaluation["classes"]["no_result"]["queries"] >= 5
    assert evaluation["classes"]["no_result"]["honest"] == 1.0
