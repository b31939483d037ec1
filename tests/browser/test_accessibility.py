"""Accessibility gate on every page: axe-core (WCAG 2.1 A and AA), structure, reflow and zoom."""

import pytest

from .measure import axe_violations
from .site_pages import PAGES

pytestmark = pytest.mark.browser

SITE_SUFFIX = " — Bibliothèque d’IA territoriales"
LANDMARKS = """() => ({
    lang: document.documentElement.lang,
    title: document.title,
    banner: document.querySelectorAll('body > header').length,
    nav: document.querySelectorAll('nav').length,
    main: document.querySelectorAll('main').length,
    contentinfo: document.querySelectorAll('body > footer').length,
    h1: document.querySelectorAll('h1').length,
})"""
HORIZONTAL_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def open_page(page, live_server, catalogue, site_page):
    """Go to the page, which must answer as listed: a page that disappears fails the gate."""
    response = page.goto(live_server.url + site_page.path(catalogue))
    assert response.status == site_page.status
    return response


def describe(violations):
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} → {', '.join(v['nodes'])}" for v in violations
    )


@pytest.mark.parametrize("site_page", PAGES, ids=lambda p: p.id)
def test_no_axe_violation(page, live_server, catalogue, axe_source, site_page):
    """axe-core finds no violation of the wcag2a, wcag2aa, wcag21a and wcag21aa rules."""
    open_page(page, live_server, catalogue, site_page)
    violations = axe_violations(page, axe_source)
    assert not violations, f"{site_page.path_template}\n{describe(violations)}"


@pytest.mark.parametrize("site_page", PAGES, ids=lambda p: p.id)
def test_language_title_and_landmarks(page, live_server, catalogue, site_page):
    """lang="fr", a descriptive title, one banner, navigation, one main, one footer, one h1."""
    open_page(page, live_server, catalogue, site_page)
    found = page.evaluate(LANDMARKS)
    assert found["lang"] == "fr"
    title = found["title"]
    assert title.endswith(SITE_SUFFIX) and len(title) > len(SITE_SUFFIX) + 3
    assert found["banner"] == 1
    assert found["nav"] >= 1
    assert found["main"] == 1
    assert found["contentinfo"] == 1
    assert found["h1"] == 1


def test_every_page_has_a_unique_title(page, live_server, catalogue):
    titles = {}
    for site_page in PAGES:
        response = page.goto(live_server.url + site_page.path(catalogue))
        assert response.status == site_page.status, site_page.path_template
        titles.setdefault(page.title(), []).append(site_page.id)
    duplicates = {title: ids for title, ids in titles.items() if len(ids) > 1}
    assert not duplicates
    # No consent banner is needed: an anonymous visit of every page sets no cookie.
    assert page.context.cookies() == []


@pytest.mark.parametrize("site_page", PAGES, ids=lambda p: p.id)
def test_reflows_at_320_pixels(browser, live_server, catalogue, site_page):
    """WCAG 1.4.10: no horizontal scrolling at 320 CSS pixels wide."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        open_page(page, live_server, catalogue, site_page)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{site_page.path_template}: {width} px"
    finally:
        context.close()


@pytest.mark.parametrize("site_page", PAGES, ids=lambda p: p.id)
def test_text_zoom_200_percent(browser, live_server, catalogue, site_page):
    """WCAG 1.4.4: text at 200 % in a 1280 px window, nothing overflows sideways."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        open_page(page, live_server, catalogue, site_page)
        # CSSOM changes are allowed by the CSP (only style attributes in the markup are not).
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        assert page.evaluate(HORIZONTAL_OVERFLOW) <= 0
    finally:
        context.close()


def test_form_errors_are_linked_to_their_fields(page, live_server, catalogue):
    """A search that is too long: error summary linking the field, field marked invalid."""
    page.goto(live_server.url + "/cas-d-usage/?q=" + "x" * 201)
    assert page.title().startswith("Erreur")
    summary = page.locator("[role=alert]")
    link = summary.locator("a[href='#id_q']")
    assert link.count() == 1
    field = page.locator("#id_q")
    assert field.get_attribute("aria-invalid") == "true"
    described_by = field.get_attribute("aria-describedby")
    assert described_by and "caractères" in page.locator(f"#{described_by}").inner_text()
    assert summary.get_attribute("tabindex") == "-1"  # static/js/forms.js focuses it


def test_collectivite_search_errors_are_linked_to_the_field(page, live_server, catalogue):
    page.goto(live_server.url + "/collectivites/?q=" + "x" * 101)
    assert page.title().startswith("Erreur")
    assert page.locator("[role=alert] a[href='#id_q']").count() == 1
    field = page.locator("#id_q")
    assert field.get_attribute("aria-invalid") == "true"
    assert (
        "100 caractères" in page.locator("#" + field.get_attribute("aria-describedby")).inner_text()
    )
