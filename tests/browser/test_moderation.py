"""A week of moderation in a real browser, as a moderator with a second factor (TOTP): review
and send back, the resubmission's diff, publication with a message, an update accepted through
the readable diff, a report answered, a sheet archived with a reason; every e-mail checked in
the outbox; the pages moderators use pass axe and fit a 1280 px window."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core import mail

from tests.factories import CollectiviteFactory, UseCaseFactory, contributor, moderator
from usecases import emails, services
from usecases.models import ErrorReport, UseCase

from .measure import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "une phrase de passe solide"
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def totp_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def moderation(browser, live_server, settings):
    """A moderator's page, logged in with password and authenticator code."""
    settings.ADMIN_REQUIRE_MFA = True
    user = moderator(
        username="claire.moreau@bibliotheque.example",
        first_name="Claire",
        last_name="Moreau",
        password=PASSWORD,
    )
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/admin/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?\s*$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Connexion", re.I)).click()
    page.wait_for_load_state()
    assert page.url.endswith("/compte/2fa/authenticate/")
    for _attempt in range(2):
        page.get_by_label("Code").fill(totp_code(secret))
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_load_state()
        if not page.url.endswith("/compte/2fa/authenticate/"):
            break
        # A code is accepted once: a run moments before may have used this period's.
        time.sleep(31 - time.time() % 30)
    page.goto("/admin/")
    assert page.locator("#queues-title").inner_text() == "Ce qui attend la modération"
    yield page
    context.close()


@pytest.fixture
def author(live_server):
    return contributor(
        collectivite=CollectiviteFactory(name="Sicoval", kind="ca", code="243100633"),
        username="louise.durand@sicoval.example",
        first_name="Louise",
        last_name="Durand",
    )


def queue_count(page, label):
    item = page.locator(".queues li", has_text=label)
    return int(item.locator(".queues__count").inner_text())


def test_review_send_back_see_the_resubmission_and_publish_with_a_message(
    moderation, author, axe_source
):
    page = moderation
    sheet = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        status="submitted",
        title="Détecter les fuites du réseau d’eau potable",
        results="",
        contact_email="eau@sicoval.example",
        techniques=["apprentissage-automatique"],
    )
    page.reload()
    assert queue_count(page, "à modérer") == 1
    page.locator(".queues a", has_text="à modérer").click()
    assert page.locator("h1").inner_text() == "Fiches à modérer, la plus ancienne d’abord"
    page.get_by_role("link", name=sheet.title).click()
    assert "La fiche telle que le public la verra" in page.content()
    assert not axe_violations(page, axe_source)
    assert page.evaluate(OVERFLOW) <= 0

    page.get_by_label("Demander des modifications").check()
    page.get_by_label("Message à la personne qui a contribué").fill(
        "Merci pour cette fiche.\nAjoutez les résultats chiffrés."
    )
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state()
    success = page.locator(".messagelist .success").inner_text()
    assert sheet.title in success and "Demander des modifications" in success
    (sent_back,) = mail.outbox
    assert sent_back.to == [author.email]
    assert sent_back.subject.endswith(f"Modifications demandées : {sheet.title}")
    assert "Merci pour cette fiche.\nAjoutez les résultats chiffrés." in sent_back.body

    # The contributor adds results and sends the sheet again.
    UseCase.objects.filter(pk=sheet.pk).update(results="Douze fuites trouvées en un mois.")
    services.use_case_submit(use_case=UseCase.objects.get(pk=sheet.pk), by=author)
    page.goto("/admin/usecases/submission/")
    page.get_by_role("link", name=sheet.title).click()
    since = page.locator(".review__since")
    assert "Ce qui a changé depuis la demande de modifications" in since.inner_text()
    assert since.locator("blockquote").inner_html().strip() == (
        "Merci pour cette fiche.<br>Ajoutez les résultats chiffrés."
    )
    assert since.locator("ins").inner_text() == "Douze fuites trouvées en un mois."
    assert not axe_violations(page, axe_source)

    page.get_by_label("Publier").check()
    page.get_by_label("Message à la personne qui a contribué").fill("Bravo, fiche publiée.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state()
    page.locator(".messagelist .success a", has_text=sheet.title).click()
    assert page.locator("h1").inner_text() == sheet.title
    published = mail.outbox[-1]
    assert published.subject.endswith(f"Fiche publiée : {sheet.title}")
    assert "Bravo, fiche publiée." in published.body
    page.goto("/admin/")
    assert queue_count(page, "à modérer") == 0
    recent = page.locator("#recent-actions-module").inner_text()
    assert sheet.title in recent


def test_accept_an_update_through_the_readable_diff(moderation, author, axe_source):
    page = moderation
    sheet = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        published=True,
        title="Optimiser les tournées de collecte",
        contact_email="dechets@sicoval.example",
        stage="deployment",
        hosting="on_premise",
        need="Les camions parcourent chaque semaine des rues aux bacs presque vides.",
        techniques=["apprentissage-automatique"],
    )
    labege = CollectiviteFactory(name="Labège", code="31254")
    revision = services.revision_open(use_case=sheet, by=author)
    revision.data = {
        **revision.data,
        "stage": "generalised",
        "hosting": "sovereign_cloud",
        "partners": [labege.pk],
        "need": "Les camions parcourent chaque semaine des rues aux bacs à moitié vides.",
    }
    revision.save()
    services.revision_submit(revision=revision, by=author)
    mail.outbox.clear()
    page.reload()
    assert queue_count(page, "en revue") == 1
    page.locator(".queues a", has_text="en revue").click()
    assert "En revue" in page.locator("#changelist-filter .selected").inner_text()
    page.get_by_role("link", name=sheet.title).click()
    diff = page.locator("table.diff")
    rows = diff.locator("tbody th").all_inner_texts()
    assert rows == ["Collectivités partenaires", "Le besoin", "Stade", "Hébergement"]
    text = diff.inner_text()
    assert "Labège (31254)" in text and "Généralisé" in text
    assert "Cloud souverain en France" in text and "sovereign_cloud" not in text
    assert diff.locator("del", has_text="presque").count() == 1
    assert diff.locator("ins", has_text="à moitié").count() == 1
    assert not axe_violations(page, axe_source)
    assert page.evaluate(OVERFLOW) <= 0

    page.get_by_role("link", name="Aperçu de la version proposée").click()
    assert page.locator(".sheet-frame .badge").inner_text() == "Généralisé"
    assert not axe_violations(page, axe_source)
    page.get_by_role("link", name="Retour à la revue de la mise à jour").click()

    page.get_by_label("Accepter la mise à jour").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state()
    assert sheet.title in page.locator(".messagelist .success").inner_text()
    sheet.refresh_from_db()
    assert (sheet.stage, list(sheet.partners.all())) == ("generalised", [labege])
    (accepted,) = mail.outbox
    assert accepted.to == [author.email]
    assert accepted.subject.endswith(f"Mise à jour acceptée : {sheet.title}")


def test_handle_a_report_with_a_reply(moderation, author, axe_source):
    page = moderation
    sheet = UseCaseFactory(author=author, published=True, title="Prévoir les crues")
    report = ErrorReport.objects.create(
        use_case=sheet,
        message="Le lien vers la délibération\nne répond plus.",
        email="lectrice@exemple.fr",
    )
    emails.notify_error_report(report)
    (alert,) = mail.outbox
    assert alert.reply_to == ["lectrice@exemple.fr"]
    page.reload()
    assert queue_count(page, "à traiter") == 1
    page.locator(".queues a", has_text="à traiter").click()
    listing = page.locator("#result_list")
    assert "Le lien vers la délibération ne répond plus." in listing.inner_text()
    assert page.evaluate(OVERFLOW) <= 0
    assert not axe_violations(page, axe_source)
    listing.get_by_role("link", name=re.compile("Le lien vers")).click()
    assert not axe_violations(page, axe_source)
    page.get_by_label("Votre réponse").fill("Merci, le lien est corrigé.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_load_state()
    assert "Réponse envoyée à lectrice@exemple.fr" in page.locator(".messagelist").inner_text()
    reply = mail.outbox[-1]
    assert reply.to == ["lectrice@exemple.fr"]
    assert reply.reply_to == ["claire.moreau@bibliotheque.example"]
    assert "Merci, le lien est corrigé." in reply.body
    page.get_by_label("État").select_option(label="Traité")
    page.get_by_role("button", name="Enregistrer le suivi").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == "handled" and "Réponse envoyée" in report.internal_note
    page.goto("/admin/")
    assert queue_count(page, "à traiter") == 0


def test_archive_a_sheet_with_a_reason(moderation, author, axe_source):
    page = moderation
    sheet = UseCaseFactory(author=author, published=True, title="Répondre aux usagers la nuit")
    page.goto(f"/admin/usecases/usecase/{sheet.pk}/change/")
    violations = axe_violations(page, axe_source)
    assert not violations, violations
    page.get_by_role("link", name="Archiver…").click()
    assert not axe_violations(page, axe_source)
    page.get_by_role("button", name="Archiver la fiche").click()
    assert "Indiquez la raison de l’archivage." in page.content()
    page.get_by_label("Raison de l’archivage").fill("Le service a été arrêté en 2025.")
    page.get_by_role("button", name="Archiver la fiche").click()
    page.wait_for_load_state()
    assert "est archivée" in page.locator(".messagelist").inner_text()
    assert "publié → archivé" in page.locator(".history-top").inner_text()
    (archived,) = mail.outbox
    assert archived.subject.endswith(f"Fiche archivée : {sheet.title}")
    assert "Raison de l’archivage :\nLe service a été arrêté en 2025." in archived.body
    page.locator(".object-tools").get_by_role("link", name="Historique", exact=True).click()
    assert "Le service a été arrêté en 2025." in page.locator(".history").inner_text()
    assert not axe_violations(page, axe_source)


ADMIN_LISTS = [
    "/admin/usecases/usecase/",
    "/admin/usecases/submission/",
    "/admin/usecases/usecaserevision/",
    "/admin/usecases/moderationevent/",
    "/admin/usecases/errorreport/",
    "/admin/usecases/resource/",
    "/admin/collectivites/collectivite/",
    "/admin/taggit/tag/",
]


def test_the_lists_moderators_use_pass_axe_and_fit_1280_pixels(moderation, author, axe_source):
    page = moderation
    for number in range(3):
        sheet = UseCaseFactory(
            author=author,
            status="submitted",
            title=f"Un titre de fiche assez long pour remplir sa colonne, numéro {number}",
        )
        ErrorReport.objects.create(use_case=sheet, message="Un message assez long " * 12)
    services.use_case_request_changes(use_case=sheet, moderator=author, message="Un message " * 20)
    for path in ["/admin/", *ADMIN_LISTS]:
        page.goto(path)
        violations = axe_violations(page, axe_source)
        assert not violations, (path, violations)
        assert page.evaluate(OVERFLOW) <= 0, path
