"""Visitor journeys in a real browser, with JavaScript on and off, and with the keyboard only."""

import re

import pytest

from .dataset import SHOWCASE_RESOURCES

pytestmark = pytest.mark.browser

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        id: el.id, tag: el.tagName, text: (el.textContent || '').trim(), name: el.name || '',
        value: el.value || '', outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
        inResults: el.closest('.card-list') !== null,
    };
}"""


@pytest.fixture(params=["js", "sans-js"])
def visitor(request, browser, live_server):
    """A fresh page, with JavaScript enabled or disabled: every journey must work without it."""
    context = browser.new_context(
        java_script_enabled=request.param == "js", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def result_titles(page):
    return page.locator(".card-list .card__title").all_inner_texts()


def test_browse_a_theme_from_the_home_page(visitor, catalogue):
    visitor.goto("/")
    visitor.locator(".themes").get_by_role("link", name=re.compile("^Mobilités")).click()
    assert visitor.url.endswith("/themes/mobilites/")
    assert visitor.locator("h1").inner_text() == "Mobilités"
    assert len(result_titles(visitor)) == 9
    assert "9 cas d’usage" in visitor.locator("[role=status]").inner_text()


def test_combine_two_filters_and_a_search(visitor, catalogue):
    visitor.goto("/cas-d-usage/")
    visitor.get_by_role("checkbox", name=re.compile(r"^Mobilités \(\d+\)$")).check()
    visitor.get_by_role("checkbox", name=re.compile(r"^Expérimentation \(\d+\)$")).check()
    visitor.get_by_label("Mots recherchés").fill("bus")
    visitor.get_by_role("button", name="Appliquer les filtres").click()
    assert "theme=mobilites" in visitor.url and "stade=experiment" in visitor.url
    assert "q=bus" in visitor.url
    titles = result_titles(visitor)
    assert titles and all("bus" in title for title in titles)
    assert visitor.get_by_role("checkbox", name=re.compile(r"^Mobilités \(\d+\)$")).is_checked()
    assert visitor.title().startswith("« bus »")


def test_open_a_sheet_and_follow_a_resource(visitor, catalogue):
    title, _kind, url = SHOWCASE_RESOURCES[0]
    # No network here: the external document is answered by the browser itself.
    visitor.route(
        re.compile(r"https://[a-z.]*example\.org/.*"),
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>ok</p>"),
    )
    visitor.goto("/cas-d-usage/")
    visitor.get_by_label("Mots recherchés").fill("fuites")
    visitor.get_by_role("button", name="Appliquer les filtres").click()
    visitor.locator(f".card__title a[href='/cas-d-usage/{catalogue.showcase_slug}/']").click()
    assert visitor.locator("h1").inner_text().startswith("Détecter les fuites")
    assert visitor.locator("#ressources li").count() == 5
    visitor.get_by_role("link", name=title).click()
    visitor.wait_for_url(url)


def test_skip_link_moves_focus_to_the_main_content(visitor, catalogue):
    visitor.goto("/cas-d-usage/")
    visitor.keyboard.press("Tab")
    focused = visitor.evaluate(FOCUSED)
    assert focused["text"] == "Aller au contenu"
    assert focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2
    visitor.keyboard.press("Enter")
    assert visitor.evaluate(FOCUSED)["id"] == "contenu"


def tab_until(page, predicate, limit=150):
    """Press Tab until the focused element matches; every element on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2, focused
        if predicate(focused):
            return focused
    raise AssertionError("element not reachable with Tab")


def test_filters_work_with_the_keyboard_only(visitor, catalogue):
    """Tab to a theme, tick it with Space, Tab to the submit button, press Enter."""
    visitor.goto("/cas-d-usage/")
    tab_until(visitor, lambda f: f["name"] == "theme" and f["value"] == "mobilites")
    visitor.keyboard.press("Space")
    tab_until(visitor, lambda f: f["tag"] == "BUTTON" and f["text"] == "Appliquer les filtres")
    visitor.keyboard.press("Enter")
    visitor.wait_for_url(re.compile(r"theme=mobilites"))
    assert len(result_titles(visitor)) == 9


def test_a_sheet_is_reachable_with_the_keyboard_only(visitor, catalogue):
    visitor.goto(f"/themes/{catalogue.theme_slug}/")
    first = tab_until(visitor, lambda f: f["tag"] == "A" and f["inResults"])
    visitor.keyboard.press("Enter")
    visitor.wait_for_load_state()
    assert visitor.locator("h1").inner_text() == first["text"]
    assert visitor.locator("#ressources").count() == 1


# Contribution journeys (sign-up to publication, with and without JavaScript) and the error
# summary taking the focus are in test_contribution.py.
