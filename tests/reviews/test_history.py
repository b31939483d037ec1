"""The public history of a sheet: published versions, what changed, confirmations, no secret."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from reviews import services as reviews_services
from tests.factories import CollectiviteFactory, UseCaseFactory, theme
from usecases import services
from usecases.history import public_history
from usecases.models import Technique, UseCaseSlugHistory

PARIS = ZoneInfo("Europe/Paris")
SECRET_NOTE = "Note interne : relancer Mme Martin au 06 12 34 56 78"


def at(*args):
    return datetime(*args, tzinfo=PARIS)


def update(use_case, author, mod, when, **values):
    """Propose an update with these values and have it accepted at `when`."""
    with time_machine.travel(when, tick=False):
        revision = services.revision_open(use_case=use_case, by=author)
        revision.data.update(values)
        revision.save()
        services.revision_submit(revision=revision, by=author)
        services.revision_accept(revision=revision, moderator=mod)
    use_case.refresh_from_db()
    return revision


@pytest.fixture
def sheet(author, mod):
    """A sheet submitted, sent back with a private message, then published on 1 December."""
    use_case = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        status="submitted",
        title="Détecter les fuites d’eau",
        summary="Un modèle repère les fuites du réseau d’eau potable à partir des compteurs.",
        contact_email="cheffe.projet@agglo-exemple.fr",
        contact_role="Cheffe de projet eau",
    )
    use_case.techniques.set([Technique.objects.get(slug="apprentissage-automatique")])
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        services.use_case_request_changes(use_case=use_case, moderator=mod, message=SECRET_NOTE)
        services.use_case_submit(use_case=use_case, by=author)
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        services.use_case_publish(use_case=use_case, moderator=mod)
    use_case.refresh_from_db()
    return use_case


def url(use_case):
    return reverse("reviews:history", kwargs={"slug": use_case.slug})


def test_first_publication_then_an_update_with_what_changed(client, sheet, author, mod):
    update(
        sheet,
        author,
        mod,
        at(2027, 2, 3, 9),
        summary="Un modèle repère les fuites du réseau d’eau potable à partir des compteurs "
        "de sectorisation, chaque nuit.",
        stage="deployment",
        theme=theme("mobilites").pk,
        contact_email="autre.personne@agglo-exemple.fr",
    )
    entries = public_history(sheet)
    assert [(e.kind, e.version, e.date) for e in entries] == [
        ("update", 2, at(2027, 2, 3, 9)),
        ("publication", 1, at(2026, 12, 1, 10)),
    ]
    changes = {change.name: (change.before, change.after) for change in entries[0].changes}
    assert set(changes) == {"summary", "theme", "stage"}
    assert changes["theme"] == ("Transition écologique et énergétique", "Mobilités")
    assert changes["stage"] == ("Expérimentation", "Déploiement")
    assert ("insert", " de sectorisation, chaque nuit") in entries[0].changes[0].words

    response = client.get(url(sheet))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 2 : Mise à jour" in page and "Version 1 : Première publication" in page
    assert '<time datetime="2026-12-01T10:00:00+0100">1er décembre 2026</time>' in page
    assert "<ins>Mobilités</ins>" in page and "<del>Transition écologique" in page
    assert '<ins><span class="visually-hidden">[ajouté : </span> de sectorisation' in page
    # Nothing private: contact, people, moderators' messages, refused values.
    for private in [
        "agglo-exemple.fr",
        "Cheffe de projet",
        "Mme Martin",
        author.email,
        mod.email,
        "moderatrice",
        "Demande de modifications",
    ]:
        assert private not in page, private


def test_confirmations_are_listed_with_their_date_only(client, sheet, author):
    with time_machine.travel(at(2027, 12, 2, 9), tick=False):
        reviews_services.confirm_still_current(use_case=sheet, by=author)
    entries = public_history(sheet)
    assert [(e.kind, e.version) for e in entries] == [
        ("confirmation", None),
        ("publication", 1),
    ]
    page = client.get(url(sheet)).content.decode()
    assert "Informations confirmées à jour" in page and "2 décembre 2027" in page
    assert "a connu 1 version publiée." in page


def test_a_direct_edit_by_the_moderators_shows_its_public_changes(sheet, mod):
    with time_machine.travel(at(2027, 1, 1, 9), tick=False):
        sheet.title = "Détecter les fuites d’eau potable"
        sheet.contact_email = "nouvelle@agglo-exemple.fr"
        sheet.save()
        services.use_case_record_edit(
            use_case=sheet, moderator=mod, fields=["title", "contact_email"], message="Titre"
        )
    [edit, _publication] = public_history(sheet)
    assert (edit.kind, edit.version) == ("edit", 2)
    assert [(c.name, c.before, c.after) for c in edit.changes] == [
        ("title", "Détecter les fuites d’eau", "Détecter les fuites d’eau potable")
    ]


def test_versions_recorded_before_the_history_say_so(client, mod):
    """A sheet published without a recorded version: its next update cannot be compared."""
    use_case = UseCaseFactory(published=True)
    use_case.moderation_events.create(
        actor=mod, from_status="submitted", to_status="published", created_at=at(2025, 1, 1)
    )
    use_case.moderation_events.create(
        actor=mod,
        from_status="published",
        to_status="published",
        changed_fields=["summary", "contact_email"],
        created_at=at(2025, 6, 1),
    )
    [edit, publication] = public_history(use_case)
    assert edit.unknown and [c.name for c in edit.changes] == ["summary"]
    page = client.get(url(use_case)).content.decode()
    assert "Le détail de cette version n’a pas été conservé." in page
    assert "Champs modifiés : Résumé." in page


def test_a_sheet_published_without_a_recorded_event_starts_at_its_publication(client, db):
    use_case = UseCaseFactory(published=True, published_at=at(2024, 5, 1, 8))
    [publication] = public_history(use_case)
    assert (publication.kind, publication.version, publication.date) == (
        "publication",
        1,
        at(2024, 5, 1, 8),
    )
    assert "1er mai 2024" in client.get(url(use_case)).content.decode()


def test_the_sheet_links_to_its_history(client, sheet):
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert f'href="{url(sheet)}">Historique des versions</a>' in page


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "archived"])
def test_unpublished_sheets_have_no_history(client, status, db):
    use_case = UseCaseFactory(status=status, slug=f"fiche-{status}")
    assert client.get(url(use_case)).status_code == 404


def test_even_its_author_gets_404_for_an_unpublished_sheet(client, author):
    use_case = UseCaseFactory(author=author, status="draft", slug="brouillon")
    client.force_login(author)
    assert client.get(url(use_case)).status_code == 404


def test_a_former_slug_redirects(client, sheet):
    UseCaseSlugHistory.objects.create(use_case=sheet, old_slug="ancien-titre")
    response = client.get(reverse("reviews:history", kwargs={"slug": "ancien-titre"}))
    assert response.status_code == 301 and response["Location"] == url(sheet)


def test_queries_do_not_grow_with_the_versions(
    client, sheet, author, mod, django_assert_max_num_queries
):
    """Sheet, versions with confirmations, names of themes, techniques and partners: 5."""
    partners = [CollectiviteFactory(name=f"Commune {n}") for n in range(3)]
    for n in range(4):
        update(
            sheet,
            author,
            mod,
            at(2027, 1, 1 + n, 9),
            summary=f"Résumé numéro {n}, assez long pour être un résumé valable de la fiche.",
            theme=theme("mobilites" if n % 2 else "transition-ecologique-et-energetique").pk,
            partners=[partner.pk for partner in partners[: n % 3 + 1]],
        )
    with time_machine.travel(at(2027, 3, 1), tick=False):
        reviews_services.confirm_still_current(use_case=sheet, by=author)
    with django_assert_max_num_queries(5):
        page = client.get(url(sheet)).content.decode()
    assert "Version 5 : Mise à jour" in page and "Commune 2" in page
