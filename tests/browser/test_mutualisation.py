"""Mutualisation journeys in a real browser, with JavaScript on and off: compare three cases,
contact a team, declare a reuse; the « nous aussi » form passes the axe and sobriety gates."""

import re

import pytest
from django.core import mail

from tests.factories import CollectiviteFactory, contributor, moderator
from usecases.mutualisation.forms import ContactForm
from usecases.mutualisation.models import ContactMessage, ReuseDeclaration

from .measure import axe_violations, measure
from .test_contribution import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(params=["js", "sans-js"])
def visitor(request, browser, live_server):
    context = browser.new_context(
        java_script_enabled=request.param == "js", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def choose_cases_to_compare(visitor):
    """The list shows no checkbox until « Comparer des cas » (EcoIndex A)."""
    visitor.goto("/cas-d-usage/")
    assert visitor.get_by_role("checkbox", name=re.compile("^Comparer « ")).count() == 0
    visitor.get_by_role("link", name="Comparer des cas").click()
    visitor.wait_for_url(re.compile(r"comparer=1"))


def test_compare_three_cases_from_the_list(visitor, catalogue):
    choose_cases_to_compare(visitor)
    boxes = visitor.get_by_role("checkbox", name=re.compile("^Comparer « "))
    titles = [visitor.locator(".card__title").nth(n).inner_text() for n in range(3)]
    for n in range(3):
        boxes.nth(n).check()
    visitor.get_by_role("button", name="Comparer les cas cochés (2 à 4)").click()
    visitor.wait_for_url(re.compile(r"/comparer/\?cas="))
    headers = visitor.locator("table.compare__table thead th[scope=col] a").all_inner_texts()
    assert headers == titles
    assert visitor.get_by_role("rowheader", name="Hébergement").count() == 1
    visitor.get_by_role("link", name="Revenir à la liste des cas d’usage").click()
    visitor.wait_for_url(re.compile(r"/cas-d-usage/$"))


def test_compare_one_case_only_says_why(visitor, catalogue):
    choose_cases_to_compare(visitor)
    visitor.get_by_role("checkbox", name=re.compile("^Comparer « ")).first.check()
    visitor.get_by_role("button", name="Comparer les cas cochés (2 à 4)").click()
    assert "Cochez de 2 à 4 cas" in visitor.locator("[role=alert]").inner_text()


def test_see_who_runs_it_open_the_solution_and_contact_the_team(visitor, catalogue, monkeypatch):
    monkeypatch.setattr(ContactForm, "MIN_SECONDS", 0)
    moderator(username="moderatrice@example.org")  # the showcase's author account is gone
    visitor.goto(f"/cas-d-usage/{catalogue.showcase_slug}/")
    reuse = visitor.locator("#repris")
    assert "Aussi mis en place par" in reuse.inner_text()
    assert "Nantes" in reuse.inner_text()
    visitor.locator("#realisation").get_by_role("link", name="Détecteur de fuites").click()
    visitor.wait_for_url(re.compile(r"/solutions/detecteur-de-fuites/$"))
    assert visitor.locator("h1").inner_text() == "Détecteur de fuites"
    visitor.go_back()
    visitor.get_by_role("link", name="Contacter l’équipe").click()
    visitor.get_by_label("Votre nom").fill("Camille Durand")
    visitor.get_by_label("Votre collectivité ou organisme").fill("Mairie de Muret")
    visitor.get_by_label("Votre e-mail professionnel").fill("camille@mairie-muret.fr")
    visitor.get_by_label("Votre message").fill("Quel a été le coût de la première année ?")
    visitor.get_by_role("button", name="Envoyer le message").click()
    visitor.wait_for_url(re.compile(rf"/cas-d-usage/{catalogue.showcase_slug}/$"))
    assert "Votre message a été transmis" in visitor.content()
    assert ContactMessage.objects.count() == 1
    relayed, copy = mail.outbox
    assert relayed.to == ["moderatrice@example.org"]
    assert relayed.reply_to == ["camille@mairie-muret.fr"]
    assert copy.to == ["camille@mairie-muret.fr"]


def test_declare_that_our_collectivite_does_it_too(visitor, catalogue):
    collectivite = CollectiviteFactory(name="Muret", code="31395")
    contributor(username="agent@mairie-muret.fr", password=PASSWORD, collectivite=collectivite)
    log_in(visitor, "agent@mairie-muret.fr")
    visitor.goto(f"/cas-d-usage/{catalogue.showcase_slug}/")
    visitor.get_by_role("link", name=re.compile("^Nous aussi")).click()
    visitor.get_by_label("Nous l’avons aussi mis en place").check()
    visitor.get_by_label(re.compile("^Année")).fill("2026")
    visitor.get_by_label(re.compile("^Précisions")).fill("Déployé sur nos trois secteurs.")
    visitor.get_by_role("button", name="Publier la déclaration").click()
    visitor.wait_for_url(re.compile(r"#repris$"))
    assert "Muret" in visitor.locator("#repris").inner_text()
    declaration = ReuseDeclaration.objects.get(collectivite=collectivite)
    assert (declaration.kind, declaration.year) == ("adopted", 2026)
    visitor.get_by_role("button", name="Retirer la déclaration").click()
    visitor.wait_for_load_state()
    assert not ReuseDeclaration.objects.filter(collectivite=collectivite).exists()


def test_declaration_form_passes_axe_and_sobriety(browser, live_server, catalogue, axe_source):
    contributor(username="agent@mairie-muret.fr", password=PASSWORD)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, "agent@mairie-muret.fr")
    url = f"{live_server.url}/cas-d-usage/{catalogue.showcase_slug}/nous-aussi/"
    assert page.goto(url).status == 200
    assert not axe_violations(page, axe_source)
    page.get_by_role("button", name="Publier la déclaration").click()  # errors shown
    page.wait_for_load_state()
    assert not axe_violations(page, axe_source)
    cookies = context.cookies()
    context.close()
    result = measure(browser, url, cookies=cookies)
    assert result.request_count <= 10 and result.size_kb <= 100
    assert result.ecoindex.grade == "A", (result.dom, result.request_count, result.size_kb)


def test_contact_form_passes_axe_and_sobriety(browser, live_server, catalogue, axe_source):
    """Gated here rather than in site_pages.PAGES: a form sets the CSRF cookie (LEG-20)."""
    url = f"{live_server.url}/cas-d-usage/{catalogue.showcase_slug}/contacter/"
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    assert page.goto(url).status == 200
    assert not axe_violations(page, axe_source)
    page.get_by_role("button", name="Envoyer le message").click()  # errors shown
    page.wait_for_load_state()
    assert not axe_violations(page, axe_source)
    context.close()
    result = measure(browser, url)
    assert result.request_count <= 10 and result.size_kb <= 100
    assert result.ecoindex.grade == "A", (result.dom, result.request_count, result.size_kb)
