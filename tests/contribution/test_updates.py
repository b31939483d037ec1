"""Updates of published sheets: what the form shows, what it saves, when an update exists."""

import pytest
from django.urls import reverse

from tests.factories import CollectiviteFactory, UseCaseFactory
from usecases import services
from usecases.models import UseCaseRevision

pytestmark = pytest.mark.django_db


def resend_as_shown(client, url, action="submit"):
    """Post the update form back exactly as it is displayed, as a contributor who edits nothing."""
    form = client.get(url).context["form"]
    data = {"action": action}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = value
    return client.post(url, data)


@pytest.fixture
def published(author, complete_data):
    use_case = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        published=True,
        contact_email="eau@agglo-exemple.fr",
        techniques=["apprentissage-automatique"],
    )
    use_case.partners.set([CollectiviteFactory(name="Labège", code="31254")])
    return use_case


def test_resending_an_update_keeps_its_proposed_partners(author_client, mod, published):
    """The update form shows the proposed partners, not the published ones: re-sent after a
    request for changes without editing, the update still proposes its partners."""
    url = reverse("usecases:revision", args=[published.pk])
    escalquens = CollectiviteFactory(name="Escalquens", code="31169")
    form = author_client.get(url).context["form"]
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, False)
    }
    data["techniques"] = [str(pk) for pk in data["techniques"]]
    data["partners_text"] = "Escalquens (31169)"
    assert author_client.post(url, {**data, "action": "submit"}).status_code == 302
    revision = published.revisions.get()
    assert revision.data["partners"] == [escalquens.pk]
    services.revision_request_changes(revision=revision, moderator=mod, message="Précisez.")

    shown = author_client.get(url).context["form"]["partners_text"].value()
    assert "Escalquens" in shown and "Labège" not in shown
    assert resend_as_shown(author_client, url).status_code == 302
    revision.refresh_from_db()
    assert revision.status == "submitted"
    assert revision.data["partners"] == [escalquens.pk]
    changes = {change.name: change for change in services.revision_changes(revision)}
    assert changes["partners"].before == "Labège (31254)"
    assert changes["partners"].after == "Escalquens (31169)"


def test_opening_the_update_form_creates_nothing(author_client, published):
    url = reverse("usecases:revision", args=[published.pk])
    response = author_client.get(url)
    assert response.status_code == 200
    assert not UseCaseRevision.objects.exists()
    assert "Rien n’est enregistré" in response.content.decode()
    # Saved, it exists, unsent.
    assert resend_as_shown(author_client, url, action="draft").status_code == 302
    assert published.revisions.get().status == "draft"


def test_an_invalid_update_form_creates_nothing(author_client, published):
    url = reverse("usecases:revision", args=[published.pk])
    response = author_client.post(url, {"title": "", "action": "submit"})
    assert response.status_code == 400
    assert not UseCaseRevision.objects.exists()
