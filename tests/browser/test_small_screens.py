"""The catalogue on a phone: results in the first screen, filters folded, nothing to scroll
sideways at 390 and 320 CSS pixels, on the pages people read on the go."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
PAGES = [
    "/cas-d-usage/",
    "/cas-d-usage/?stade=deployment&q=donn%C3%A9es",
    "/cas-d-usage/{showcase_slug}/",
    "/themes/{theme_slug}/",
    "/statistiques/",
    "/api/",
    "/collectivites/",
    "/collectivites/?toutes=on&type=commune",
]


@pytest.fixture(params=[False, True], ids=["sans-js", "js"])
def phone(request, browser, live_server):
    """A phone-sized page, with and without JavaScript."""
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=request.param, base_url=live_server.url
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["390", "320"])
@pytest.mark.parametrize("path", PAGES)
def test_nothing_scrolls_sideways(browser, live_server, catalogue, viewport, path):
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    try:
        response = page.goto(path.format(**catalogue.__dict__))
        assert response.status == 200
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path}: {width} px"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/cas-d-usage/", "/themes/{theme_slug}/"])
def test_results_start_in_the_first_screen(phone, catalogue, path):
    phone.goto(path.format(**catalogue.__dict__))
    first_card = phone.locator(".card").first.bounding_box()
    assert first_card["y"] < PHONE["height"] - 100, first_card
    assert phone.locator("#f-region").is_hidden()  # folded behind « Filtres et tri »


def test_filters_unfold_and_apply_without_javascript(phone, catalogue):
    phone.goto("/cas-d-usage/")
    summary = phone.locator(".filters-disclosure > summary")
    assert summary.inner_text() == "Filtres et tri"
    summary.click()
    phone.get_by_label("Mobilités", exact=False).first.check()
    phone.get_by_role("button", name="Appliquer les filtres").click()
    assert "theme=mobilites" in phone.url
    assert "(1 filtre appliqué)" in phone.locator(".filters-disclosure > summary").inner_text()
    chip = phone.locator(".chips a").first
    assert chip.inner_text().startswith("Thème\xa0: Mobilités")
    chip.click()
    assert "theme=" not in phone.url
    assert phone.locator(".chips").count() == 0


def test_the_filters_are_open_on_a_wide_screen(page, live_server, catalogue):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/cas-d-usage/")
    assert page.locator(".filters-disclosure > summary").is_hidden()
    assert page.locator("#f-region").is_visible()


def test_a_skip_link_leads_to_the_results(page, live_server, catalogue):
    page.goto(live_server.url + "/cas-d-usage/")
    skip = page.locator(".skip-links a", has_text="Aller aux résultats")
    assert skip.get_attribute("href") == "#resultats"
    assert page.locator("#resultats h2").first.inner_text() == "Résultats"


def test_chart_labels_stay_readable_on_a_small_phone(browser, live_server, catalogue):
    context = browser.new_context(viewport=SMALL_PHONE, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/statistiques/")
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('.chart__svg text')].map(
                t => t.getBoundingClientRect().height))"""
        )
        assert smallest >= 11, smallest
    finally:
        context.close()
