"""The moderators' back office: review screen, readable diffs, queues, decisions, archiving,
history and direct edits, searches and wording."""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import CollectiviteFactory, DepartementFactory, ResourceFactory, UseCaseFactory
from usecases import services
from usecases.models import ModerationEvent, Resource, UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(mod):
    client = Client()
    client.force_login(mod)
    return client


@pytest.fixture
def submitted(author):
    use_case = UseCaseFactory(
        author=author,
        collectivite=author.contributor_profile.collectivite,
        status="submitted",
        title="Détecter les fuites du réseau d’eau",
        need="Le réseau perd un quart de l’eau produite.",
        results="",
        contact_email="camille.martin@agglo-exemple.fr",
        contact_role="Cheffe de projet",
        hosting="sovereign_cloud",
        techniques=["apprentissage-automatique"],
    )
    ResourceFactory(use_case=use_case, title="Délibération du conseil")
    return use_case


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def review_url(use_case):
    return reverse("admin:usecases_submission_change", args=[use_case.pk])


def test_review_screen_shows_the_whole_sheet_checks_history_and_decision(mod_client, submitted):
    response = mod_client.get(review_url(submitted))
    assert response.status_code == 200
    page = text(response)
    # The sheet as the public will see it: resources, transparency, contact.
    for expected in (
        "La fiche telle que le public la verra",
        "Délibération du conseil",
        "Cloud souverain en France",
        "Transparence",
        "Ressources et sources",
        "Prédiction / apprentissage automatique",
    ):
        assert expected in page
    # The checklist: Tier 2 missing, a personal-looking address; the decision form.
    assert "Champs recommandés (niveau 2) remplis : Résultats et impacts" in page
    assert "À vérifier</strong> — Adresse de contact fonctionnelle" in page
    assert "camille.martin@agglo-exemple.fr" in page
    assert 'name="decision"' in page and "Historique" in page


def test_checklist_flags_duplicates_and_missing_sources(mod_client, author):
    collectivite = author.contributor_profile.collectivite
    UseCaseFactory(collectivite=collectivite, published=True, title="Un autre projet")
    sheet = UseCaseFactory(author=author, collectivite=collectivite, status="submitted")
    UseCaseFactory(published=True, title=sheet.title.upper(), slug="meme-titre-ailleurs")
    page = text(mod_client.get(review_url(sheet)))
    assert "À vérifier</strong> — Au moins une source" in page
    assert "À vérifier</strong> — Pas d’autre fiche au même titre" in page
    assert "À vérifier</strong> — Pas d’autre fiche de la même collectivité" in page
    assert "Un autre projet" in page


def test_sending_back_then_reviewing_the_resubmission_shows_what_changed(
    mod_client, author, submitted, django_capture_on_commit_callbacks
):
    message = "Merci pour la fiche.\nAjoutez les résultats chiffrés."
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(
            review_url(submitted), {"decision": "request_changes", "message": message}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [author.email]
    assert message in mail.outbox[-1].body
    UseCase.objects.filter(pk=submitted.pk).update(results="Douze fuites trouvées en 2025.")
    services.use_case_submit(use_case=UseCase.objects.get(pk=submitted.pk), by=author)
    page = text(mod_client.get(review_url(submitted)))
    assert "Ce qui a changé depuis la demande de modifications" in page
    assert "Merci pour la fiche.<br>Ajoutez les résultats chiffrés." in page
    assert "Résultats et impacts" in page and "<ins>Douze fuites trouvées en 2025.</ins>" in page
    # In the queue, it is flagged as a resubmission.
    queue = mod_client.get(reverse("admin:usecases_submission_changelist"))
    assert [u.was_sent_back for u in queue.context["cl"].result_list] == [True]


def test_publishing_with_a_message_names_the_sheet_and_lands_in_recent_actions(
    mod_client, author, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(
            review_url(submitted), {"decision": "publish", "message": "Belle fiche, merci."}
        )
    submitted.refresh_from_db()
    assert submitted.status == "published"
    assert "Belle fiche, merci." in mail.outbox[-1].body
    assert ModerationEvent.objects.get(to_status="published").message == "Belle fiche, merci."
    follow = text(mod_client.get(response["Location"]))
    assert (
        f'Décision « Publier » enregistrée pour <a href="{submitted.get_absolute_url()}">'
        f"« {submitted.title} »</a>" in follow.replace("&#x27;", "'")
    )
    entry = LogEntry.objects.get()
    assert entry.object_repr == submitted.title and "Belle fiche" in entry.change_message
    home = text(mod_client.get(reverse("admin:index")))
    assert submitted.title in home  # « Actions récentes »


def test_admin_home_counts_what_waits(mod_client, author, submitted):
    published = UseCaseFactory(author=author, published=True)
    revision = services.revision_open(use_case=published, by=author)
    services.revision_submit(revision=revision, by=author)
    from usecases.models import ErrorReport

    ErrorReport.objects.create(use_case=published, message="Le lien est mort.")
    ErrorReport.objects.create(use_case=published, message="Vu.", state="handled")
    page = text(mod_client.get(reverse("admin:index")))
    assert "Ce qui attend la modération" in page
    for count, label in ((1, "fiche à modérer"), (1, "mise à jour en revue")):
        assert f'<strong class="queues__count">{count}</strong> {label}' in page
    assert '<strong class="queues__count">1</strong> signalement à traiter' in page


def test_update_review_shows_a_readable_diff_and_a_proposed_preview(
    mod_client, author, django_capture_on_commit_callbacks
):
    published = UseCaseFactory(
        author=author,
        published=True,
        stage="deployment",
        hosting="on_premise",
        title="Titre publié",
        techniques=["apprentissage-automatique"],
    )
    revision = services.revision_open(use_case=published, by=author)
    revision.data = {
        **revision.data,
        "title": "Titre proposé",
        "stage": "generalised",
        "hosting": "sovereign_cloud",
        "contact_is_public": True,
        "contact_email": "projets@exemple.fr",
    }
    revision.save()
    services.revision_submit(revision=revision, by=author)
    url = reverse("admin:usecases_usecaserevision_change", args=[revision.pk])
    page = text(mod_client.get(url))
    for expected in (
        "<del>Déploiement</del>",
        "<ins>Généralisé</ins>",
        "<ins>Cloud souverain en France</ins>",
        "Afficher le contact publiquement",
        "<ins>Oui</ins>",
    ):
        assert expected in page
    assert "generalised" not in page.split("Décision")[0].split("changes-title")[1]
    assert "obligatoire pour soumettre" not in page
    preview = mod_client.get(reverse("admin:usecases_usecaserevision_preview", args=[revision.pk]))
    assert preview.status_code == 200
    assert "<h1>Titre proposé</h1>" in text(preview)
    with django_capture_on_commit_callbacks(execute=True):
        mod_client.post(url, {"decision": "publish", "message": ""})
    published.refresh_from_db()
    assert published.title == "Titre proposé" and published.stage == "generalised"
    assert mail.outbox[-1].subject.endswith("Mise à jour acceptée : Titre proposé")


def test_update_queue_lists_those_in_review_oldest_first_by_default(mod_client, author):
    sheets = [UseCaseFactory(author=author, published=True) for _ in range(3)]
    revisions = []
    for sheet in sheets:
        revision = services.revision_open(use_case=sheet, by=author)
        services.revision_submit(revision=revision, by=author)
        revisions.append(revision)
    services.revision_reject(revision=revisions[1], moderator=author, message="Non.")
    response = mod_client.get(reverse("admin:usecases_usecaserevision_changelist"))
    assert list(response.context["cl"].result_list) == [revisions[0], revisions[2]]
    everything = mod_client.get(
        reverse("admin:usecases_usecaserevision_changelist"), {"etat": "toutes"}
    )
    assert len(everything.context["cl"].result_list) == 3


def test_archiving_one_sheet_requires_a_reason_and_closes_its_update(
    mod_client, author, django_capture_on_commit_callbacks
):
    published = UseCaseFactory(author=author, published=True)
    revision = services.revision_open(use_case=published, by=author)
    services.revision_submit(revision=revision, by=author)
    url = reverse("admin:usecases_usecase_archive", args=[published.pk])
    form = text(mod_client.get(url))
    assert "elle sera close" in form
    refused = mod_client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and "Indiquez la raison" in text(refused)
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(url, {"reason": "Le service a été arrêté."})
    assert response.status_code == 302
    published.refresh_from_db()
    revision.refresh_from_db()
    assert (published.status, revision.status) == ("archived", "archived")
    assert "Raison de l’archivage :\nLe service a été arrêté." in mail.outbox[-1].body
    # No more bulk archiving without a reason.
    actions = mod_client.get(reverse("admin:usecases_usecase_changelist")).context["action_form"]
    assert [value for value, _ in actions.fields["action"].choices if value] == ["publish"]


def test_history_is_near_the_top_and_direct_edits_are_recorded_and_notified(
    mod_client, author, django_capture_on_commit_callbacks
):
    published = UseCaseFactory(
        author=author,
        status="published",
        published_at=datetime.datetime(2025, 3, 10, 9, 0, tzinfo=datetime.UTC),
        title="Fiche publiée",
    )
    published_at = timezone.localtime(published.published_at)
    url = reverse("admin:usecases_usecase_change", args=[published.pk])
    response = mod_client.get(url)
    page = text(response)
    assert page.index("history-top") < page.index('name="title"')
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("tags", "partners", "techniques")
    }
    data.update(
        {
            "title": "Fiche publiée corrigée",
            "tags": "",
            "collectivite": published.collectivite_id,
            "theme": published.theme_id,
            "author": author.pk,
            "notify_contributor": "on",
            "edit_message": "Coquille corrigée dans le titre.",
            "published_at_0": published_at.strftime("%d/%m/%Y"),
            "published_at_1": published_at.strftime("%H:%M:%S"),
        }
    )
    for prefix in ("key_figures", "resources"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    with django_capture_on_commit_callbacks(execute=True):
        saved = mod_client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    event = ModerationEvent.objects.get(use_case=published)
    assert event.is_edit and event.changed_fields == ["title"]
    assert mail.outbox[-1].to == [author.email]
    assert "Champs modifiés : Titre." in mail.outbox[-1].body
    assert "Coquille corrigée dans le titre." in mail.outbox[-1].body
    history = text(mod_client.get(reverse("admin:usecases_usecase_history", args=[published.pk])))
    assert "modification directe (Titre)" in history and "Coquille corrigée" in history


@pytest.mark.parametrize(
    "query",
    ["243100633", "31555", "Martin", "Haute-Garonne", "haute garonne", "Labege", "fuites", "eau"],
)
def test_admin_search_finds_codes_names_and_words_without_accents(mod_client, author, query):
    haute_garonne = DepartementFactory(code="31", name="Haute-Garonne")
    lead = author.contributor_profile.collectivite
    lead.siren, lead.departement = "243100633", haute_garonne
    lead.save()
    sheet = UseCaseFactory(
        author=author, collectivite=lead, status="submitted", title="Détecter les fuites d’eau"
    )
    sheet.partners.set([CollectiviteFactory(name="Labège", code="31555")])
    UseCase.objects.filter(pk=sheet.pk).refresh_search_index()
    UseCaseFactory(status="submitted", title="Autre chose")
    response = mod_client.get(reverse("admin:usecases_usecase_changelist"), {"q": query})
    assert list(response.context["cl"].result_list) == [sheet]


def test_collectivite_filter_and_its_admin_page_list_its_sheets(mod_client, author):
    lead = author.contributor_profile.collectivite
    led = UseCaseFactory(author=author, collectivite=lead, status="submitted", title="Menée")
    partnered = UseCaseFactory(published=True, title="En partenariat")
    partnered.partners.set([lead])
    UseCaseFactory(collectivite=lead, status="draft", title="Brouillon privé")
    UseCaseFactory(status="submitted", title="Ailleurs")
    listing = mod_client.get(
        reverse("admin:usecases_usecase_changelist"), {"collectivite": lead.pk}
    )
    assert {u.title for u in listing.context["cl"].result_list} == {led.title, partnered.title}
    page = text(mod_client.get(reverse("admin:collectivites_collectivite_change", args=[lead.pk])))
    assert "Menée</a> — en revue, porteuse" in page
    assert "En partenariat</a> — publié, partenaire" in page
    assert "Brouillon privé" not in page


def test_history_search_finds_a_collectivite(mod_client, author, submitted, mod):
    services.use_case_request_changes(use_case=submitted, moderator=mod, message="Précisez.")
    response = mod_client.get(
        reverse("admin:usecases_moderationevent_changelist"), {"q": "Sicoval"}
    )
    assert len(response.context["cl"].result_list) == 1


def test_back_office_wording(mod_client, submitted):
    pages = [
        reverse("admin:usecases_usecase_changelist"),
        reverse("admin:usecases_submission_changelist"),
        reverse("admin:usecases_usecaserevision_changelist"),
        reverse("admin:usecases_moderationevent_changelist"),
        reverse("admin:usecases_errorreport_changelist"),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:index"),
    ]
    for url in pages:
        page = text(mod_client.get(url))
        for wrong in (
            "Sélectionnez l’objet",
            "objet",
            "historique de modération",
            "Taggit",
            "TAGGIT",
        ):
            assert wrong not in page, (url, wrong)
    assert "Mots-clés" in text(mod_client.get(reverse("admin:index")))


def test_document_links_of_the_admin_download_the_document(mod_client, submitted):
    resource = Resource(use_case=submitted, title="Cahier des charges", kind="tender")
    resource.file.save("cctp.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=True)
    page = mod_client.get(reverse("admin:usecases_resource_change", args=[resource.pk]))
    link = reverse("usecases:resource_download", args=[resource.pk])
    assert f'href="{link}"' in page.content.decode()
    assert mod_client.get(link).status_code == 200
