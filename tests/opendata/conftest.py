import pytest

from tests.factories import CollectiviteFactory, ResourceFactory, UseCaseFactory
from usecases.models import KeyFigure, UseCase


@pytest.fixture
def throttle_rate(settings):
    """Set the API rate limit for one test (e.g. throttle_rate("3/minute"))."""

    def set_rate(rate):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": rate},
        }

    return set_rate


@pytest.fixture
def rich_case():
    """A published case with every relation filled in and accented text."""
    partner = CollectiviteFactory(name="Saint-Étienne-en-Coglès")
    use_case = UseCaseFactory(
        published=True,
        title="Détecter les fuites du réseau d’eau potable",
        summary="Un modèle repère les fuites grâce aux compteurs « intelligents ».",
        tags=["eau potable", "réseaux"],
        techniques=["apprentissage-automatique", "vision-par-ordinateur"],
        stage="deployment",
        hosting="sovereign_cloud",
        contact_role="Chef de projet données",
        contact_email="donnees@example.org",
        contact_is_public=True,
        end_year=2025,
        lessons_learned="Associer les équipes de terrain dès le début.",
    )
    use_case.partners.set([partner])
    KeyFigure.objects.create(use_case=use_case, value="12 %", label="de pertes en moins")
    ResourceFactory(use_case=use_case, title="Délibération", url="https://example.org/delib")
    UseCase.objects.filter(pk=use_case.pk).refresh_search_index()
    return use_case
