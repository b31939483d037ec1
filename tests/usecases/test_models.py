import pytest
from django.db import IntegrityError, transaction

from tests.factories import ResourceFactory, UseCaseFactory
from usecases.models import Technique, Theme, UseCase

pytestmark = pytest.mark.django_db


def test_six_themes_exist_with_their_exact_labels():
    """The data migration creates the six themes of the Bibliothèque, in order."""
    assert list(Theme.objects.values_list("name", flat=True)) == [
        "Transition écologique et énergétique",
        "Attractivité et aménagement",
        "Citoyenneté, santé et solidarité",
        "Mobilités",
        "Gouvernance et socles technologiques",
        "Administration et organisation interne",
    ]
    assert Technique.objects.count() == 8


def test_published_queryset_excludes_every_other_state():
    published = UseCaseFactory(published=True)
    for status in ("draft", "submitted", "changes_requested", "rejected", "archived"):
        UseCaseFactory(status=status)
    assert list(UseCase.objects.published()) == [published]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "published", "published_at": None},
        {"status": "hidden"},
        {"stage": "dream"},
        {"start_year": 1850},
        {"start_year": 2024, "end_year": 2020},
        {"contact_is_public": True, "contact_email": ""},
    ],
)
def test_database_constraints_hold(fields):
    """Rules that must hold are enforced by the database, not only by forms."""
    with pytest.raises(IntegrityError), transaction.atomic():
        UseCaseFactory(**fields)


def test_resource_is_a_link_or_a_document_not_both_nor_none():
    use_case = UseCaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(use_case=use_case, url="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(use_case=use_case, file="ressources/a.pdf")


def test_transparency_score_counts_documented_fields():
    use_case = UseCaseFactory(
        human_oversight="human_decides", personal_data="none", data_used="Relevés de compteurs."
    )
    assert use_case.transparency_score == (3, 8)
