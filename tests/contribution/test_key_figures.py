"""Key figures (value, unit, label) in the contributor's form and in a proposed update."""

import pytest
from django.urls import reverse

from tests.factories import UseCaseFactory
from usecases import services
from usecases.models import KeyFigure, Technique

pytestmark = pytest.mark.django_db


def figures(use_case):
    return list(use_case.key_figures.values_list("value", "unit", "label"))


def test_a_draft_saves_the_figures_filled_in_in_order(author_client, author, complete_data):
    response = author_client.post(
        reverse("usecases:create"),
        {
            **complete_data,
            "figure_1_value": "12",
            "figure_1_unit": "fuites",
            "figure_1_label": "localisées en deux semaines",
            "figure_3_value": "110 000",
            "figure_3_label": "m³ d’eau préservés par an",
            "action": "draft",
        },
    )
    assert response.status_code == 302
    use_case = author.use_cases.get()
    assert figures(use_case) == [
        ("12", "fuites", "localisées en deux semaines"),
        ("110 000", "", "m³ d’eau préservés par an"),
    ]
    page = author_client.get(reverse("usecases:edit", args=[use_case.pk])).content.decode()
    assert 'name="figure_1_value"' in page
    assert 'value="localisées en deux semaines"' in page
    assert 'name="figure_4_label"' in page


def test_an_incomplete_figure_is_refused_and_the_form_comes_back(author_client, complete_data):
    response = author_client.post(
        reverse("usecases:create"),
        {**complete_data, "figure_2_unit": "km", "action": "draft"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Indiquez la valeur et le libellé de ce chiffre clé." in content
    assert 'value="km"' in content
    assert not KeyFigure.objects.exists()


def test_editing_replaces_the_figures_and_clearing_removes_them(author_client, draft):
    KeyFigure.objects.create(use_case=draft, value="3", label="anciens", position=0)
    url = reverse("usecases:edit", args=[draft.pk])
    form = author_client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(title=draft.title, action="draft", figure_1_value="4", figure_1_label="nouveaux")
    data.pop("edited_from", None)
    for key in ("techniques", "tags", "theme"):
        data.pop(key, None)
    assert author_client.post(url, data).status_code == 302
    assert figures(draft) == [("4", "", "nouveaux")]
    data.update(figure_1_value="", figure_1_label="")
    assert author_client.post(url, data).status_code == 302
    assert figures(draft) == []


def test_a_proposed_update_changes_the_figures_only_once_accepted(
    author_client, author, complete_data, mod, client
):
    use_case = UseCaseFactory(
        author=author, collectivite=author.contributor_profile.collectivite, published=True
    )
    KeyFigure.objects.create(use_case=use_case, value="12", unit="fuites", label="trouvées")
    url = reverse("usecases:revision", args=[use_case.pk])
    assert 'value="trouvées"' in author_client.get(url).content.decode()
    response = author_client.post(
        url,
        {
            **complete_data,
            "figure_1_value": "15",
            "figure_1_unit": "fuites",
            "figure_1_label": "trouvées en dix jours",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    assert figures(use_case) == [("12", "fuites", "trouvées")]
    assert "trouvées en dix jours" not in client.get(use_case.get_absolute_url()).content.decode()
    revision = use_case.revisions.get()
    changes = {
        change.label: (change.before, change.after)
        for change in services.revision_changes(revision)
    }
    assert changes["Chiffre clé 1 — valeur"] == ("12", "15")
    services.revision_accept(revision=revision, moderator=mod)
    assert figures(use_case) == [("15", "fuites", "trouvées en dix jours")]


def test_an_update_without_figure_fields_keeps_the_figures(author, mod):
    """An update proposed before figures were in the form must not erase them on acceptance."""
    use_case = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        published=True,
        contact_email="eau@agglo-exemple.fr",
    )
    use_case.techniques.set(Technique.objects.all()[:1])
    KeyFigure.objects.create(use_case=use_case, value="12", unit="fuites", label="trouvées")
    revision = services.revision_open(use_case=use_case, by=author)
    revision.data = {
        key: value for key, value in revision.data.items() if not key.startswith("figure_")
    }
    revision.data["title"] = "Un titre plus précis"
    revision.save()
    services.revision_submit(revision=revision, by=author)
    services.revision_accept(revision=revision, moderator=mod)
    use_case.refresh_from_db()
    assert use_case.title == "Un titre plus précis"
    assert figures(use_case) == [("12", "fuites", "trouvées")]
