import pytest
from django.urls import reverse

from tests.factories import CollectiviteFactory, ResourceFactory, UseCaseFactory
from usecases.models import Technique, UseCase

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "usecases/usecase",
        "usecases/theme",
        "usecases/technique",
        "usecases/resource",
        "collectivites/collectivite",
        "collectivites/region",
        "collectivites/departement",
    ],
)
def test_admin_changelists_answer_in_french(admin_client, model):
    """Every model has a French admin with search."""
    UseCaseFactory(published=True)
    ResourceFactory()
    response = admin_client.get(f"/admin/{model}/", {"q": "a"})
    assert response.status_code == 200
    assert "Rechercher" in response.content.decode()


def test_use_case_form_uses_autocomplete_for_collectivites(admin_client):
    """36,000 collectivités cannot be a plain select: the form uses an autocomplete widget."""
    use_case = UseCaseFactory(status="submitted")
    response = admin_client.get(reverse("admin:usecases_usecase_change", args=[use_case.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in content
    assert content.count("<option") < 200


def test_collectivite_autocomplete_ignores_accents(admin_client):
    CollectiviteFactory(name="Saint-Étienne", code="42218")
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "saint etienne",
            "app_label": "usecases",
            "model_name": "usecase",
            "field_name": "collectivite",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Saint-Étienne"]


def test_saving_in_admin_refreshes_the_search_index(admin_client):
    """Tags added in the admin become searchable once the form is saved."""
    use_case = UseCaseFactory(published=True, title="Prévoir les repas")
    url = reverse("admin:usecases_usecase_change", args=[use_case.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "tags": "nutrition, cantine",
            "collectivite": use_case.collectivite_id,
            "theme": use_case.theme_id,
            "techniques": [Technique.objects.first().pk],
            "published_at_0": "01/03/2025",
            "published_at_1": "10:00:00",
            "key_figures-TOTAL_FORMS": 0,
            "key_figures-INITIAL_FORMS": 0,
            "resources-TOTAL_FORMS": 0,
            "resources-INITIAL_FORMS": 0,
            "moderation_events-TOTAL_FORMS": 0,
            "moderation_events-INITIAL_FORMS": 0,
        }
    )
    data.pop("author", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(UseCase.objects.published().search("nutrition")) == [use_case]
