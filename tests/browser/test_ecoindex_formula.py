"""Our EcoIndex computation agrees with the reference implementation's published test values.

No browser needed: these run everywhere, Chromium or not.
"""

import pytest

from tests.browser.ecoindex import ecoindex, grade, quantile_position, score


@pytest.mark.parametrize(
    ("dom", "requests", "size_kb", "expected"),
    [
        # cnumr/ecoindex_python: tests/compute/test_ecoindex.py
        (240, 20, 331, 83),
        (100, 100, 100, 72),
        # Values checked against ecoindex-compute 5.9/5.10 (tooling.md §6).
        (13, 4, 2.1, 97),
        (600, 60, 1500, 54),
        # The reference median page (standards.md §2.3).
        (693, 78, 2420, 44),
    ],
)
def test_score_matches_the_reference(dom, requests, size_kb, expected):
    assert score(dom, requests, size_kb) == expected


@pytest.mark.parametrize(
    ("value", "letter"),
    [(100, "A"), (81, "A"), (80, "B"), (71, "B"), (70, "C"), (56, "C"), (41, "D"), (26, "E")]
    + [(11, "F"), (10, "G"), (0, "G")],
)
def test_grade_bounds_are_strict(value, letter):
    assert grade(value) == letter


def test_quantile_position_interpolates_and_saturates():
    assert quantile_position(0, [0, 10, 20]) == 0
    assert quantile_position(5, [0, 10, 20]) == 0.5
    assert quantile_position(15, [0, 10, 20]) == 1.5
    assert quantile_position(99, [0, 10, 20]) == 2


def test_footprint_follows_the_score():
    result = ecoindex(13, 4, 2.1)
    assert (result.score, result.grade, result.ghg_g, result.water_cl) == (97, "A", 1.06, 1.59)
