"""usecases.diff: what changed between two versions of a case, as a moderator reads it."""

import pytest

from tests.factories import CollectiviteFactory, UseCaseFactory
from usecases import diff
from usecases.models import Technique

pytestmark = pytest.mark.django_db


@pytest.fixture
def use_case():
    case = UseCaseFactory(
        published=True,
        stage="deployment",
        hosting="on_premise",
        contact_email="dsi@exemple.fr",
        techniques=["apprentissage-automatique"],
        need="Le réseau perd un quart de l’eau produite chaque année, faute de savoir où chercher.",
    )
    case.partners.set([CollectiviteFactory(name="Labège", code="31254")])
    return case


def test_labels_choice_labels_and_names_instead_of_codes_and_ids(use_case):
    before = diff.use_case_values(use_case)
    vision = Technique.objects.exclude(slug="apprentissage-automatique").first()
    escalquens = CollectiviteFactory(name="Escalquens", code="31169")
    after = {
        **before,
        "stage": "generalised",
        "hosting": "sovereign_cloud",
        "contact_is_public": True,
        "techniques": [vision.pk],
        "partners": [escalquens.pk],
    }
    changes = {change.name: change for change in diff.changes(before, after)}
    assert list(changes) == ["partners", "stage", "hosting", "techniques", "contact_is_public"]
    assert (changes["stage"].label, changes["stage"].before, changes["stage"].after) == (
        "Stade",
        "Déploiement",
        "Généralisé",
    )
    assert changes["hosting"].after == "Cloud souverain en France"
    assert (changes["contact_is_public"].before, changes["contact_is_public"].after) == (
        "Non",
        "Oui",
    )
    assert changes["techniques"].before == "Prédiction / apprentissage automatique"
    assert changes["techniques"].after == vision.name
    assert changes["techniques"].label == "Techniques d’IA"
    assert changes["partners"].label == "Collectivités partenaires"
    assert (changes["partners"].before, changes["partners"].after) == (
        "Labège (31254)",
        "Escalquens (31169)",
    )
    assert all("obligatoire" not in change.label for change in changes.values())


def test_long_texts_are_compared_word_by_word(use_case):
    before = diff.use_case_values(use_case)
    after = {**before, "need": before["need"].replace("un quart", "un tiers")}
    (change,) = diff.changes(before, after)
    assert change.label == "Le besoin"
    assert ("delete", "quart") in change.words and ("insert", "tiers") in change.words
    rebuilt_before = "".join(text for op, text in change.words if op != "insert")
    rebuilt_after = "".join(text for op, text in change.words if op != "delete")
    assert (rebuilt_before, rebuilt_after) == (before["need"], after["need"])


def test_same_values_in_other_forms_are_no_change(use_case):
    before = diff.use_case_values(use_case)
    after = {
        **before,
        "start_year": str(before["start_year"]),
        "techniques": list(reversed(before["techniques"])),
    }
    assert diff.changes(before, after) == []


def test_the_proposed_sheet_shows_the_proposed_values(use_case):
    values = {**diff.use_case_values(use_case), "title": "Titre proposé", "partners": []}
    sheet = diff.ProposedSheet(use_case, values)
    assert sheet.title == "Titre proposé"
    assert list(sheet.partners.all()) == []
    assert sheet.get_stage_display() == "Déploiement"
    use_case.refresh_from_db()
    assert use_case.title != "Titre proposé"


def test_the_proposed_sheet_shows_the_proposed_key_figures(use_case):
    use_case.key_figures.create(value="12", unit="fuites", label="détectées", position=1)
    values = {
        **diff.use_case_values(use_case),
        "figure_1_value": "30",
        "figure_2_value": "7 800",
        "figure_2_unit": "km",
        "figure_2_label": "de réseau suivis",
    }
    sheet = diff.ProposedSheet(use_case, values)
    assert [figure.headline for figure in sheet.key_figures.all()] == ["30 fuites", "7 800 km"]
    assert [str(figure) for figure in use_case.key_figures.all()] == ["12 fuites détectées"]
