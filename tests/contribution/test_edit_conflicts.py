"""Two updates of the same sheet at once never silently overwrite each other."""

import pytest
from django.urls import reverse

from tests.factories import UseCaseFactory
from usecases.forms import UseCaseForm

pytestmark = pytest.mark.django_db


def form_data(response):
    form = response.context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data["edited_from"] = form.initial["edited_from"]
    return data


def test_second_of_two_concurrent_edits_is_refused(client, author, draft):
    """Both open the form; the first saves; the second gets a clear message, not a silent win."""
    client.force_login(author)
    url = reverse("usecases:edit", args=[draft.pk])
    first = form_data(client.get(url))
    second = dict(first)
    assert client.post(url, {**first, "title": "Titre de la première personne"}).status_code == 302
    response = client.post(url, {**second, "title": "Titre de la seconde"})
    assert response.status_code == 400
    assert "modifiée par quelqu’un d’autre" in response.content.decode()
    assert 'value="Titre de la seconde"' in response.content.decode()  # nothing typed is lost
    draft.refresh_from_db()
    assert draft.title == "Titre de la première personne"


def test_the_service_refuses_a_stale_form_even_past_validation(author, draft):
    """The check is repeated under a row lock when saving (a race between clean() and save())."""
    from usecases import services

    stale = UseCaseForm(
        data={"title": "Périmé", "edited_from": draft.updated_at.isoformat()}, instance=draft
    )
    assert stale.is_valid(), stale.errors
    UseCaseFactory._meta.model.objects.filter(pk=draft.pk).update(title="Entre-temps")
    type(draft).objects.get(pk=draft.pk).save()  # bumps updated_at
    with pytest.raises(services.EditConflict):
        services.use_case_save_draft(
            form=stale, author=author, collectivite=author.contributor_profile.collectivite
        )
    draft.refresh_from_db()
    assert draft.title == "Entre-temps"


def test_moderators_concurrent_admin_edits(admin_client):
    use_case = UseCaseFactory(published=True)
    url = reverse("admin:usecases_usecase_change", args=[use_case.pk])
    form = admin_client.get(url).context["adminform"].form
    token = form.initial["edited_from"]
    use_case.summary = "Modifié par quelqu’un d’autre"
    use_case.save()
    response = admin_client.post(url, {"title": "x", "edited_from": token})
    assert response.status_code == 200
    assert "modifiée par quelqu’un d’autre" in response.content.decode()
