import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import ResourceFactory, UseCaseFactory
from usecases.models import Resource

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zipped(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(author_client, draft, name, content, **extra):
    return author_client.post(
        reverse("usecases:resources", args=[draft.pk]),
        {
            "title": "Délibération du conseil",
            "kind": "deliberation",
            "file": SimpleUploadedFile(name, content),
            **extra,
        },
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("deliberation.pdf", PDF),
        ("donnees.csv", "commune;fuites\nBaziège;12\n".encode()),
        ("rapport.docx", zipped({"[Content_Types].xml": "x", "word/document.xml": "<w/>"})),
        ("tableau.xlsx", zipped({"[Content_Types].xml": "x", "xl/workbook.xml": "<w/>"})),
        (
            "note.odt",
            zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}),
        ),
    ],
)
def test_accepted_documents_are_stored_under_a_random_name(
    author_client, draft, settings, name, content
):
    response = upload(author_client, draft, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get()
    stored = resource.file.name
    assert stored.startswith("ressources/")
    assert name.rsplit(".", 1)[0] not in stored
    assert stored.endswith("." + name.rsplit(".", 1)[1])
    assert (settings.MEDIA_ROOT / stored).read_bytes() == content


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("programme.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "ne correspond pas"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "ne correspond pas"),
        ("image.svg", b"<svg onload='alert(1)'></svg>", "Format non accepté"),
        ("page.html", b"<script>alert(1)</script>", "Format non accepté"),
        ("script.csv", b"<script>alert(1)</script>", "ne correspond pas"),
        ("vide.pdf", b"", "vide"),
        ("archive.docx", b"PK\x03\x04 not really a zip", "ne correspond pas"),
        ("faux.xlsx", zipped({"word/document.xml": "<w/>"}), "ne correspond pas"),
        ("programme.exe", b"MZ\x90\x00", "Format non accepté"),
        (".htaccess.pdf", PDF, "nom de fichier"),
    ],
)
def test_dangerous_or_disguised_uploads_are_refused(
    author_client, draft, settings, name, content, message
):
    """Renamed executables, HTML/SVG with script, empty files: a field error, nothing stored."""
    response = upload(author_client, draft, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Resource.objects.exists()
    assert not (settings.MEDIA_ROOT / "ressources").exists()


def test_files_over_10_mb_are_refused(author_client, draft, settings):
    response = upload(author_client, draft, "gros.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 400
    assert "la limite est de 10 Mo" in response.content.decode()
    assert not Resource.objects.exists()


def test_path_traversal_names_never_leave_the_upload_folder(author_client, draft, settings):
    """Django keeps only the base name; we then store under a random name anyway."""
    response = upload(author_client, draft, "../../../../etc/passwd.pdf", PDF)
    assert response.status_code == 302
    stored = Resource.objects.get().file.name
    assert ".." not in stored and "passwd" not in stored
    assert (settings.MEDIA_ROOT / stored).resolve().is_relative_to(settings.MEDIA_ROOT.resolve())


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "http://example.org/document",
        "ftp://example.org/document",
        "https://",
    ],
)
def test_only_https_links_are_accepted(author_client, draft, url):
    response = author_client.post(
        reverse("usecases:resources", args=[draft.pk]),
        {"title": "Lien", "kind": "article", "url": url},
    )
    assert response.status_code == 400
    assert not Resource.objects.exists()


def test_a_link_or_a_file_not_both(author_client, draft):
    response = author_client.post(
        reverse("usecases:resources", args=[draft.pk]),
        {
            "title": "Les deux",
            "kind": "article",
            "url": "https://example.org/a",
            "file": SimpleUploadedFile("a.pdf", PDF),
        },
    )
    assert response.status_code == 400
    assert "soit un lien, soit un document" in response.content.decode()


def test_https_link_is_added(author_client, draft):
    response = author_client.post(
        reverse("usecases:resources", args=[draft.pk]),
        {"title": "Article", "kind": "article", "url": "https://example.org/article"},
    )
    assert response.status_code == 302
    assert draft.resources.get().url == "https://example.org/article"


def test_published_documents_download_as_attachments(client, settings):
    use_case = UseCaseFactory(published=True)
    resource = ResourceFactory(use_case=use_case, url="", file=SimpleUploadedFile("a.pdf", PDF))
    response = client.get(reverse("usecases:resource_download", args=[resource.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_unpublished_documents_are_private(client, author, other, mod, draft):
    resource = ResourceFactory(use_case=draft, url="", file=SimpleUploadedFile("a.pdf", PDF))
    url = reverse("usecases:resource_download", args=[resource.pk])
    assert client.get(url).status_code == 404
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(author)
    assert client.get(url).status_code == 200
    # A draft never sent is private to its contributor, moderators included.
    client.force_login(mod)
    assert client.get(url).status_code == 404
    draft.status = "submitted"
    draft.save()
    assert client.get(url).status_code == 200


def test_resources_can_be_removed_by_their_author(author_client, draft):
    resource = ResourceFactory(use_case=draft)
    response = author_client.post(reverse("usecases:resource_delete", args=[draft.pk, resource.pk]))
    assert response.status_code == 302
    assert not draft.resources.exists()


def test_a_document_link_gives_its_format_and_size(client):
    """RGAA 13.3: a reader knows what a download weighs before following it."""
    use_case = UseCaseFactory(published=True)
    ResourceFactory(use_case=use_case, url="", file=SimpleUploadedFile("deliberation.pdf", PDF))
    ResourceFactory(use_case=use_case, title="Le projet en ligne")
    content = client.get(use_case.get_absolute_url()).content.decode()
    assert f'</a> <span class="muted">(PDF, {len(PDF)}\u00a0octets)</span>' in content
    # A link to a page is not a download: no format.
    assert 'Le projet en ligne</a> <span class="muted">(' not in content


def test_a_document_of_unknown_size_still_gives_its_format(client):
    use_case = UseCaseFactory(published=True)
    resource = ResourceFactory(use_case=use_case, url="", file=SimpleUploadedFile("a.odt", PDF))
    Resource.objects.filter(pk=resource.pk).update(size=0)  # Uploaded before sizes were kept.
    content = client.get(use_case.get_absolute_url()).content.decode()
    assert '</a> <span class="muted">(ODT)</span>' in content
