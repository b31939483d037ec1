"""The home page's key figures: true, and leading to what they count."""

import pytest

from collectivites.choices import Kind
from tests.factories import CollectiviteFactory, UseCaseFactory

pytestmark = pytest.mark.django_db


def test_home_figures_count_collectivites_departements_and_stopped_projects(client):
    commune = CollectiviteFactory(kind=Kind.COMMUNE)
    opsn = CollectiviteFactory(kind=Kind.OTHER, code="", departement=commune.departement)
    UseCaseFactory(published=True, collectivite=commune, stage="stopped", end_year=2025)
    UseCaseFactory(published=True, collectivite=commune)
    UseCaseFactory(published=True, collectivite=opsn)
    UseCaseFactory(collectivite=CollectiviteFactory(), stage="stopped")  # a draft: not counted
    response = client.get("/")
    assert response.context["figures"] == {
        "use_cases": 3,
        "collectivites": 1,
        "departements": 1,
        "stopped": 1,
    }
    content = response.content.decode()
    assert '<a href="/cas-d-usage/?stade=stopped"><strong>1</strong> projet arrêté,' in content
    assert "<strong>3</strong> cas d’usage publiés" in content
