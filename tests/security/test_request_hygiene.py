"""Requests no view should see, and the last headers (docs/securite.md)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import ResourceFactory, UseCaseFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cas-d-usage/a%00b/",
        "/api/v1/themes/a%00b/",
        "/api/v1/collectivites/a%00b/",
        "/api/v1/cas-d-usage/?q=a%00b",
        "/api/v1/collectivites/?nom%00=x",
    ],
)
def test_nul_bytes_on_the_api_answer_400_in_json(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "caractère interdit" in response.json()["detail"]
    assert isinstance(response.json()["errors"], dict)


@pytest.mark.parametrize(
    "url",
    [
        "/collectivites/suggestions/?q=a%00b",
        "/cas-d-usage/?q=eau%00",
        "/cas-d-usage/a%00b/",
        "/cas-d-usage/?q=%01",
        "/cas-d-usage/a%7Fb/",
    ],
)
def test_nul_bytes_and_control_characters_elsewhere_answer_the_french_400_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_ordinary_accents_and_spaces_pass(client):
    assert client.get("/cas-d-usage/", {"q": "données\tpubliques é"}).status_code == 200
    assert client.get("/collectivites/suggestions/", {"q": "Saint-Étienne"}).status_code == 200


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT"])
def test_trace_is_refused(client, method):
    response = client.generic(method, "/")
    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]


def test_csrf_failure_page_is_in_french():
    use_case = UseCaseFactory(published=True)
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("usecases:report", args=[use_case.slug]), {"message": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulaire expiré" in page
    assert "CSRF verification failed" not in page
    assert '<html lang="fr"' in page


def test_private_documents_are_never_stored_by_caches(client, author, draft):
    resource = ResourceFactory(use_case=draft, url="", file=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(author)
    response = client.get(reverse("usecases:resource_download", args=[resource.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_published_documents_may_be_cached(client):
    use_case = UseCaseFactory(published=True)
    resource = ResourceFactory(use_case=use_case, url="", file=SimpleUploadedFile("a.pdf", PDF))
    response = client.get(reverse("usecases:resource_download", args=[resource.pk]))
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_carry_security_headers(settings):
    """WhiteNoise answers before the CSP middleware; its own hook adds the headers."""
    settings.WHITENOISE_USE_FINDERS = True  # Serve static/ without collectstatic.
    response = Client().get("/static/css/main.css")
    assert response.status_code == 200
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
