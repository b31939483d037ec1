"""Contribution in a real browser: journeys with and without JavaScript, keyboard, and the
accessibility and sobriety gates on the account and contribution pages."""

import re

import pytest
from django.core import mail

from tests.factories import contributor, moderator
from usecases.models import UseCase

from .measure import axe_violations, measure
from .test_journeys import FOCUSED

pytestmark = pytest.mark.browser

PASSWORD = "une phrase de passe solide"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(params=["js", "sans-js"])
def context(request, browser, live_server):
    context = browser.new_context(
        java_script_enabled=request.param == "js", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


def log_in(page, email, password=PASSWORD):
    page.goto("/compte/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?\s*$")).fill(password)
    page.get_by_role("button", name=re.compile("Connexion", re.I)).click()
    page.wait_for_load_state()


def fill_sheet(page):
    page.get_by_label(re.compile("^Titre")).fill("Prévoir les crues des cours d’eau urbains")
    page.get_by_label(re.compile("^Résumé")).fill("Un modèle prévoit les crues à six heures.")
    page.get_by_label(re.compile("^Thème")).select_option(
        label="Transition écologique et énergétique"
    )
    page.get_by_label(re.compile("^Le besoin")).fill("Les crues éclair surprennent les services.")
    page.get_by_label(re.compile("^La solution")).fill("Un modèle alerte le poste de commandement.")
    page.get_by_label("Prédiction / apprentissage automatique").check()
    page.get_by_label(re.compile("^Stade")).select_option(label="Expérimentation")
    page.get_by_label(re.compile("^Année de début")).fill("2024")
    page.get_by_label(re.compile("^Mode de réalisation")).select_option(label="Prestataire")
    page.get_by_label(re.compile("^E-mail de contact")).fill("risques@ville-exemple.fr")


def test_sign_up_contribute_moderate_publish(context, browser, live_server, catalogue, tmp_path):
    """Sign up, verify, log in, write a sheet with a link and a PDF, submit, see it in « Mes
    contributions »; a moderator publishes it; it is public."""
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Proposer un cas d’usage").first.click()
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Prénom").fill("Louise")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Durand")
    page.get_by_label("Adresse e-mail professionnelle").fill("louise@ville-exemple.fr")
    page.get_by_label("Votre collectivité").fill("Nîmes")
    page.get_by_label(re.compile(r"^Mot de passe\s*:?\s*$")).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state()
    link = re.search(r"https?://[^/\s]+(/compte/[^\s]+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_role("button", name=re.compile("Confirmer", re.I)).click()
    page.wait_for_load_state()

    page.goto("/contribuer/nouveau/")
    fill_sheet(page)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state()
    assert "Brouillon enregistré" in page.content()
    page.get_by_role("link", name=re.compile("Gérer les ressources")).click()
    page.get_by_label(re.compile("^Titre")).fill("Délibération du conseil")
    page.get_by_label(re.compile("^Type")).select_option(label="Délibération")
    pdf = tmp_path / "deliberation.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label(re.compile("^Document")).set_input_files(str(pdf))
    page.get_by_role("button", name="Ajouter la ressource").click()
    page.get_by_label(re.compile("^Titre")).fill("Article de presse")
    page.get_by_label(re.compile("^Type")).select_option(label="Article")
    page.get_by_label(re.compile("^Lien")).fill("https://presse.example.org/crues")
    page.get_by_role("button", name="Ajouter la ressource").click()
    assert page.locator(".resources li").count() == 2
    page.get_by_role("link", name=re.compile("Retour à la fiche")).click()
    page.get_by_role("button", name="Soumettre à la modération").click()
    page.wait_for_load_state()
    assert page.url.endswith("/mes-contributions/")
    assert "En revue" in page.locator("table").inner_text()

    use_case = UseCase.objects.get(title__startswith="Prévoir les crues")
    moderation = browser.new_context(base_url=live_server.url).new_page()
    moderator(username="moderatrice@example.org", password=PASSWORD)
    log_in(moderation, "moderatrice@example.org")
    moderation.goto(f"/admin/usecases/submission/{use_case.pk}/change/")
    moderation.get_by_label("Publier").check()
    moderation.get_by_role("button", name="Enregistrer la décision").click()
    moderation.wait_for_load_state()
    moderation.context.close()

    page.goto(f"/cas-d-usage/{UseCase.objects.get(pk=use_case.pk).slug}/")
    assert page.locator("h1").inner_text() == "Prévoir les crues des cours d’eau urbains"
    assert page.get_by_role("link", name="Délibération du conseil").count() == 1


def test_form_errors_are_summarised_and_take_the_focus(browser, live_server, catalogue):
    """With JavaScript, focus moves to the error summary, whose links lead to the fields."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    contributor(username="agent@ville-exemple.fr", password=PASSWORD)
    log_in(page, "agent@ville-exemple.fr")
    page.goto("/contribuer/nouveau/")
    page.get_by_label(re.compile("^Résumé")).fill("Ce texte doit rester après l’erreur.")
    page.get_by_role("button", name="Soumettre à la modération").click()
    page.wait_for_load_state()
    assert page.evaluate(FOCUSED)["id"] == "resume-erreurs"
    assert page.get_by_label(re.compile("^Résumé")).input_value() == (
        "Ce texte doit rester après l’erreur."
    )
    page.locator("#resume-erreurs a[href='#id_title']").click()
    assert page.evaluate("() => document.activeElement.id") == "id_title"
    context.close()


@pytest.fixture
def contributor_cookies(browser, live_server, catalogue):
    contributor(username="agent@ville-exemple.fr", password=PASSWORD)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, "agent@ville-exemple.fr")
    cookies = context.cookies()
    context.close()
    return cookies


LOGGED_OUT = [
    ("contribute", "/contribuer/"),
    ("signup", "/compte/signup/"),
    ("login", "/compte/login/"),
    ("password-reset", "/compte/password/reset/"),
]
LOGGED_IN = [
    ("form-empty", "/contribuer/nouveau/"),
    ("my-contributions", "/mes-contributions/"),
]


def axe_on(browser, url, axe_source, cookies=(), submit=False):
    context = browser.new_context()
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    response = page.goto(url)
    if submit:
        page.get_by_role("button", name="Soumettre à la modération").click()
        page.wait_for_load_state()
    violations = axe_violations(page, axe_source)
    context.close()
    return response.status, violations


@pytest.mark.parametrize("name, path", LOGGED_OUT, ids=[p[0] for p in LOGGED_OUT])
def test_account_pages_pass_axe_and_sobriety(
    browser, live_server, catalogue, axe_source, name, path
):
    status, violations = axe_on(browser, live_server.url + path, axe_source)
    assert status == 200 and not violations, violations
    result = measure(browser, live_server.url + path)
    assert result.request_count <= 10 and result.size_kb <= 100
    assert result.ecoindex.grade == "A", (result.dom, result.request_count, result.size_kb)
    assert not result.foreign_requests()


@pytest.mark.parametrize("name, path", LOGGED_IN, ids=[p[0] for p in LOGGED_IN])
def test_contribution_pages_pass_axe_and_sobriety(
    browser, live_server, contributor_cookies, axe_source, name, path
):
    url = live_server.url + path
    status, violations = axe_on(browser, url, axe_source, contributor_cookies)
    assert status == 200 and not violations, violations
    result = measure(browser, url, cookies=contributor_cookies)
    assert result.request_count <= 10 and result.size_kb <= 100
    assert result.ecoindex.grade == "A", (result.dom, result.request_count, result.size_kb)


def test_submission_form_with_errors_passes_axe(
    browser, live_server, contributor_cookies, axe_source
):
    status, violations = axe_on(
        browser, live_server.url + "/contribuer/nouveau/", axe_source, contributor_cookies, True
    )
    assert not violations, violations
