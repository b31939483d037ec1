import pytest

from tests.factories import CollectiviteFactory, UseCaseFactory, contributor, moderator
from usecases.models import Technique, Theme

COMPLETE = {
    "title": "Détecter les fuites du réseau d’eau potable",
    "summary": "Un modèle classe les tronçons par probabilité de fuite.",
    "need": "Le réseau perd un quart de l’eau produite.",
    "solution": "Les équipes cherchent d’abord là où le modèle voit des fuites.",
    "stage": "experiment",
    "start_year": "2024",
    "build_mode": "vendor",
    "hosting": "unknown",
    "contact_email": "eau@agglo-exemple.fr",
    "tags": "eau potable, fuites",
}


@pytest.fixture
def complete_data(db):
    return {
        **COMPLETE,
        "theme": Theme.objects.get(slug="transition-ecologique-et-energetique").pk,
        "techniques": [Technique.objects.get(slug="apprentissage-automatique").pk],
    }


@pytest.fixture
def author(db):
    return contributor(
        collectivite=CollectiviteFactory(name="Sicoval", kind="ca", code="243100633")
    )


@pytest.fixture
def other(db):
    return contributor()


@pytest.fixture
def mod(db):
    return moderator(username="moderatrice@example.org")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def draft(author):
    return UseCaseFactory(
        author=author, collectivite=author.contributor_profile.collectivite, status="draft"
    )
