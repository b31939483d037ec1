"""EcoIndex score and grade, computed here from the published method.

Method: the EcoIndex of the Green IT collective (https://www.ecoindex.fr/comment-ca-marche/,
source ``cnumr/EcoIndex: content/fr/how-it-works/_40_ecoindex.md``), reference implementation
``cnumr/ecoindex_python: ecoindex/compute/ecoindex.py``; quantile tables from
``cnumr/ecoindex_reference: ecoindex_reference.json`` (HTTP Archive, 500,000 URLs). The packages
that implement it are licensed CC BY-NC-ND, so we only reproduce the published formula and
tables of the EcoIndex method (ecoindex.fr), copied below.

Inputs (measured by ``tests/browser/measure.py``): DOM elements excluding the children of
``<svg>``, the number of requests and the kilobytes transferred (compressed, ÷ 1000).
"""

from dataclasses import dataclass

QUANTILES_DOM = [
    0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459,
    1801, 2479, 594601,
]  # fmt: skip
QUANTILES_REQUESTS = [
    0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920,
]  # fmt: skip
QUANTILES_SIZE_KB = [
    0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32,
    1648.27, 1876.08, 2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54,
    223212.26,
]  # fmt: skip
# Lower bound (exclusive) of each grade's score.
GRADES = [("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25), ("F", 10)]


@dataclass(frozen=True)
class EcoIndex:
    score: int
    grade: str
    ghg_g: float  # gCO2e per page view
    water_cl: float  # centilitres per page view


def quantile_position(value, quantiles):
    """Where `value` lies in the table: i-1 plus its fraction of the i-th interval."""
    for index in range(1, len(quantiles)):
        if value < quantiles[index]:
            low, high = quantiles[index - 1], quantiles[index]
            return index - 1 + (value - low) / (high - low)
    return len(quantiles) - 1


def score(dom, requests, size_kb):
    """The EcoIndex score, 0 to 100: DOM weighs 3, requests 2, size 1."""
    weighted = (
        3 * quantile_position(dom, QUANTILES_DOM)
        + 2 * quantile_position(requests, QUANTILES_REQUESTS)
        + quantile_position(size_kb, QUANTILES_SIZE_KB)
    )
    return round(100 - 5 * weighted / 6)


def grade(value):
    """Strictly above the bound: a score of exactly 80 is a B."""
    for letter, bound in GRADES:
        if value > bound:
            return letter
    return "G"


def ecoindex(dom, requests, size_kb):
    value = score(dom, requests, size_kb)
    return EcoIndex(
        score=value,
        grade=grade(value),
        ghg_g=round(100 * (2 + 2 * (50 - value) / 100)) / 100,
        water_cl=round(100 * (3 + 3 * (50 - value) / 100)) / 100,
    )
