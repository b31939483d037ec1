"""Open-data records link what works, on SITE_URL; deep API pages cost a bounded amount
(docs/securite.md)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from api.views import ApiPagination
from tests.factories import CollectiviteFactory, ResourceFactory, UseCaseFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def documented_case():
    use_case = UseCaseFactory(published=True)
    ResourceFactory(use_case=use_case, url="", file=SimpleUploadedFile("a.pdf", PDF))
    return use_case


def test_records_link_documents_to_an_address_that_serves_them(client, documented_case):
    record = client.get(f"/api/v1/cas-d-usage/{documented_case.slug}/").json()
    (link,) = record["resources"]
    assert link.startswith("http://testserver/ressources/")
    assert "/media/" not in link
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_exports_link_documents_the_same_way(client, documented_case):
    response = client.get("/donnees/cas-d-usage.csv")
    content = b"".join(response.streaming_content).decode()
    assert "/ressources/" in content
    assert "/media/" not in content


def test_records_use_the_site_url_whatever_the_host(settings, documented_case):
    settings.SITE_URL = "https://bibliotheque.example.org"
    record = (
        Client(HTTP_HOST="127.0.0.1:1337")
        .get(f"/api/v1/cas-d-usage/{documented_case.slug}/")
        .json()
    )
    assert record["url"].startswith("https://bibliotheque.example.org/cas-d-usage/")
    assert record["resources"][0].startswith("https://bibliotheque.example.org/ressources/")


def test_api_pages_are_refused_past_the_bounded_depth(client, monkeypatch):
    monkeypatch.setattr(ApiPagination, "MAX_DEPTH", 30)
    for _ in range(40):
        CollectiviteFactory()
    assert client.get("/api/v1/collectivites/?toutes=1&page_size=10&page=3").status_code == 200
    response = client.get("/api/v1/collectivites/?toutes=1&page_size=10&page=4")
    assert response.status_code == 400
    body = response.json()
    assert "export complet" in body["detail"]
    assert body["errors"]["page"]


def test_the_real_depth_allows_every_collectivite_of_a_departement_and_refuses_the_364th_page(
    client,
):
    assert ApiPagination.MAX_DEPTH >= 5_000
    response = client.get("/api/v1/collectivites/?toutes=1&page_size=100&page=364")
    assert response.status_code == 400
