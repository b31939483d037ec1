"""Sobriety gate on every page: EcoIndex grade A, ≤ 100 kB, ≤ 10 requests, nothing from elsewhere.

Measured against live_server, which serves static files uncompressed through Django's
staticfiles handler: a stricter condition than production (whitenoise serves them compressed).
bin/measure-pages.py measures the production set-up for the published figures.
"""

import pytest

from .measure import measure
from .site_pages import PAGES

pytestmark = pytest.mark.browser

MAX_KB = 100
MAX_REQUESTS = 10
# Pages built by other team members that are known to be over budget: reported as xfail while
# they fail (and as a normal pass once they meet the budget). Empty this as they are fixed.
KNOWN_OVER_BUDGET = {}


@pytest.mark.parametrize("site_page", PAGES, ids=lambda p: p.id)
def test_page_is_sober(browser, live_server, catalogue, site_page):
    result = measure(browser, live_server.url + site_page.path(catalogue))
    assert result.status == site_page.status
    figures = (
        f"{site_page.path_template}: {result.dom} éléments, {result.request_count} requêtes, "
        f"{result.size_kb:.1f} ko, EcoIndex {result.ecoindex.score} ({result.ecoindex.grade})"
    )
    assert not result.foreign_requests(), figures
    assert not result.font_requests(), figures
    within_budget = (
        result.request_count <= MAX_REQUESTS
        and result.size_kb <= MAX_KB
        and result.ecoindex.grade == "A"
    )
    if not within_budget and site_page.id in KNOWN_OVER_BUDGET:
        pytest.xfail(f"{KNOWN_OVER_BUDGET[site_page.id]} — {figures}")
    assert within_budget, figures
