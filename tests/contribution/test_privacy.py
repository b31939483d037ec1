"""Drafts and unsent updates are private to their contributor: moderators see a sheet from its
submission on, on every path (previews, documents, admin lists, filters and change pages,
updates)."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests.factories import ResourceFactory, UseCaseFactory
from usecases import services
from usecases.models import Resource

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def mod_client(mod):
    client = Client()
    client.force_login(mod)
    return client


@pytest.fixture
def unsent(author):
    return UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        status="draft",
        title="Brouillon jamais envoyé",
    )


@pytest.fixture
def sent(author):
    return UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        status="submitted",
        title="Fiche envoyée",
    )


def document(use_case):
    resource = Resource(use_case=use_case, title="Délibération", kind="deliberation")
    resource.file.save("deliberation.pdf", ContentFile(PDF), save=True)
    return resource


def test_preview_of_an_unsent_draft_is_its_contributors_only(
    mod_client, author_client, unsent, sent
):
    url = reverse("usecases:preview", args=[unsent.pk])
    assert author_client.get(url).status_code == 200
    assert mod_client.get(url).status_code == 404
    assert mod_client.get(reverse("usecases:preview", args=[sent.pk])).status_code == 200


def test_documents_of_an_unsent_draft_are_its_contributors_only(
    mod_client, author_client, unsent, sent
):
    private, reviewed = document(unsent), document(sent)
    private_url = reverse("usecases:resource_download", args=[private.pk])
    assert author_client.get(private_url).status_code == 200
    assert mod_client.get(private_url).status_code == 404
    reviewed_url = reverse("usecases:resource_download", args=[reviewed.pk])
    assert mod_client.get(reviewed_url).status_code == 200


def test_admin_list_and_filter_leave_drafts_out(mod_client, unsent, sent):
    url = reverse("admin:usecases_usecase_changelist")
    response = mod_client.get(url)
    listed = list(response.context["cl"].result_list)
    assert listed == [sent]
    filters = response.content.decode()
    assert "Brouillon" not in filters and "etat=submitted" in filters
    # The former « Brouillon » filter and a hand-written lookup find nothing either.
    assert list(mod_client.get(url, {"etat": "draft"}).context["cl"].result_list) == []
    assert "Brouillon jamais" not in mod_client.get(url, {"q": "jamais"}).content.decode()
    forged = mod_client.get(url, {"status__exact": "draft"})
    assert "Brouillon jamais" not in forged.content.decode()


def test_admin_change_page_of_a_draft_is_not_found(mod_client, unsent, sent):
    response = mod_client.get(reverse("admin:usecases_usecase_change", args=[unsent.pk]))
    assert response.status_code == 302  # the admin's « does not exist » redirect
    assert response["Location"] == reverse("admin:index")
    follow = mod_client.get(response["Location"])
    assert "Brouillon jamais" not in follow.content.decode()
    sent_page = mod_client.get(reverse("admin:usecases_usecase_change", args=[sent.pk]))
    assert sent_page.status_code == 200


def test_admin_resources_of_a_draft_are_hidden(mod_client, unsent, sent):
    hidden = ResourceFactory(use_case=unsent, title="Ressource privée")
    ResourceFactory(use_case=sent, title="Ressource relue")
    response = mod_client.get(reverse("admin:usecases_resource_changelist"))
    assert [r.title for r in response.context["cl"].result_list] == ["Ressource relue"]
    change = mod_client.get(reverse("admin:usecases_resource_change", args=[hidden.pk]))
    assert change.status_code == 302
    autocomplete = mod_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "usecases", "model_name": "resource", "field_name": "use_case", "term": ""},
    )
    titles = [result["text"] for result in autocomplete.json()["results"]]
    assert "Brouillon jamais envoyé" not in titles and "Fiche envoyée" in titles


def test_unsent_updates_are_private_and_sent_ones_reviewable(mod_client, author):
    use_case = UseCaseFactory(
        author=author, collectivite=author.contributor_profile.collectivite, published=True
    )
    revision = services.revision_open(use_case=use_case, by=author)
    list_url = reverse("admin:usecases_usecaserevision_changelist")
    change_url = reverse("admin:usecases_usecaserevision_change", args=[revision.pk])
    assert list(mod_client.get(list_url, {"etat": "toutes"}).context["cl"].result_list) == []
    assert mod_client.get(change_url).status_code == 404
    services.revision_submit(revision=revision, by=author)
    assert list(mod_client.get(list_url).context["cl"].result_list) == [revision]
    assert mod_client.get(change_url).status_code == 200


def test_the_contributor_still_sees_everything_of_their_own(author_client, unsent):
    assert author_client.get(reverse("usecases:edit", args=[unsent.pk])).status_code == 200
    assert author_client.get(reverse("usecases:resources", args=[unsent.pk])).status_code == 200
