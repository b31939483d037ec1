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


def test_transparency_values_are_in_words_and_link_to_their_section():
    use_case = UseCaseFactory(
        human_oversight="automatic",
        human_oversight_details="Un agent relit chaque semaine un échantillon.",
        personal_data="yes",
        hosting="on_premise",
        lessons_learned="",
    )
    items = {item.label: item for item in use_case.transparency_items()}
    assert items["Données personnelles traitées"].value == "Oui"
    oversight = items["Supervision humaine"].value
    assert oversight == (
        "Fonctionnement automatique sans revue. Un agent relit chaque semaine un échantillon."
    )
    assert items["Hébergement"].section == ("realisation", "Réalisation et hébergement")
    assert items["Enseignements"].value == ""
    assert "Niveau de risque (règlement européen sur l’IA)" in items


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "0 critère renseigné sur 8"),
        ({"personal_data": "none"}, "1 critère renseigné sur 8"),
        ({"personal_data": "none", "hosting": "eu_cloud"}, "2 critères renseignés sur 8"),
    ],
)
def test_transparency_summary_agrees_with_the_card_annotation(fields, expected):
    defaults = {
        "human_oversight": "",
        "personal_data": "",
        "impact_assessment": "",
        "ai_act_risk": "",
        "hosting": "unknown",
        "data_used": "",
        "environmental_footprint": "",
        "lessons_learned": "",
    }
    use_case = UseCaseFactory(**{**defaults, **fields})
    assert use_case.transparency_summary == expected
    card = UseCase.objects.with_card_data().get(pk=use_case.pk)
    assert card.transparency_documented == use_case.transparency_score[0]
    assert card.transparency_summary == expected
