"""Per-account quotas and early refusal of large bodies (docs/securite.md)."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UseCaseFactory
from usecases.models import Resource, UseCase

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MIB = 1024 * 1024


def upload(client, draft, size=0, address="198.51.100.7"):
    return client.post(
        reverse("usecases:resources", args=[draft.pk]),
        {
            "title": "Délibération du conseil",
            "kind": "deliberation",
            "file": SimpleUploadedFile("deliberation.pdf", PDF + b"0" * size),
        },
        REMOTE_ADDR=address,
    )


def another_draft(author):
    return UseCaseFactory(
        author=author, collectivite=author.contributor_profile.collectivite, status="draft"
    )


class ExplodingStream:
    """A request body that must never be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_over_the_limit_is_refused_before_it_is_read(author_client, draft):
    url = reverse("usecases:resources", args=[draft.pk])
    response = author_client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=x",
        **{"CONTENT_LENGTH": str(40 * MIB), "wsgi.input": ExplodingStream()},
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert not Resource.objects.exists()


def test_the_api_refuses_large_bodies_in_json(client):
    response = client.generic("POST", "/api/v1/cas-d-usage/", **{"CONTENT_LENGTH": str(40 * MIB)})
    assert response.status_code == 413
    assert response.json()["detail"]


def test_a_document_at_the_limit_still_fits_in_a_request(author_client, draft):
    response = upload(author_client, draft, size=django_settings.DOCUMENT_MAX_BYTES - len(PDF))
    assert response.status_code == 302
    assert Resource.objects.get().size == django_settings.DOCUMENT_MAX_BYTES


def test_documents_are_capped_in_number_per_account(author, author_client, draft, settings):
    settings.CONTRIBUTOR_DOCUMENTS_MAX = 3
    second = another_draft(author)
    assert [upload(author_client, case).status_code for case in (draft, draft, second)] == [302] * 3
    response = upload(author_client, second)
    assert response.status_code == 400
    assert "déjà 3 documents" in response.content.decode()
    assert Resource.objects.count() == 3


def test_documents_are_capped_in_total_weight_per_account(author_client, draft, settings):
    settings.CONTRIBUTOR_DOCUMENTS_BYTES_MAX = 1 * MIB
    assert upload(author_client, draft, size=400_000).status_code == 302
    assert upload(author_client, draft, size=400_000).status_code == 302
    response = upload(author_client, draft, size=400_000)
    assert response.status_code == 400
    assert "1 Mo permis par compte" in response.content.decode()
    assert Resource.objects.count() == 2


def test_uploads_are_rate_limited_per_account_whatever_the_address(author_client, draft, settings):
    settings.UPLOAD_RATE = "3/h"
    statuses = [
        upload(author_client, draft, address=f"198.51.100.{number}").status_code
        for number in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Resource.objects.count() == 3


def test_links_are_not_counted_as_documents(author_client, draft, settings):
    settings.CONTRIBUTOR_DOCUMENTS_MAX = 0
    response = author_client.post(
        reverse("usecases:resources", args=[draft.pk]),
        {"title": "Article", "kind": "article", "url": "https://example.org/article"},
    )
    assert response.status_code == 302


def test_open_cases_are_capped_per_account(author, author_client, settings, complete_data):
    settings.CONTRIBUTOR_OPEN_CASES_MAX = 2
    another_draft(author)
    another_draft(author)
    response = author_client.get(reverse("usecases:create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("usecases:my_contributions")
    response = author_client.post(reverse("usecases:create"), complete_data, follow=True)
    assert "déjà 2 fiches en cours" in response.content.decode()
    assert UseCase.objects.filter(author=author).count() == 2


def test_body_limits_agree_with_each_other_and_with_the_documented_proxy():
    assert django_settings.REQUEST_MAX_BYTES > django_settings.DOCUMENT_MAX_BYTES
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE < django_settings.DOCUMENT_MAX_BYTES
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE < django_settings.REQUEST_MAX_BYTES
    guide = (django_settings.BASE_DIR / "docs" / "deploiement.md").read_text()
    proxy_caps = re.findall(r"client_max_body_size (\d+)m;", guide)
    caddy_caps = re.findall(r"max_size (\d+)MiB", guide)
    assert proxy_caps and caddy_caps
    assert {int(cap) * MIB for cap in proxy_caps + caddy_caps} == {
        django_settings.REQUEST_MAX_BYTES
    }
