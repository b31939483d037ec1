"""The search engine's behaviour, the same on SQLite (FTS5) and PostgreSQL."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import (
    CollectiviteFactory,
    DepartementFactory,
    RegionFactory,
    UseCaseFactory,
    moderator,
)
from usecases import search
from usecases.analysis import index_terms, words
from usecases.models import SearchWord, ThesaurusEntry, UseCase

pytestmark = pytest.mark.django_db


def found(query):
    return set(UseCase.objects.published().search(query).values_list("title", flat=True))


def page(client, **params):
    response = client.get(reverse("usecases:list"), params)
    assert response.status_code == 200, params
    return response


def titles(response):
    return [use_case.title for use_case in response.context["page_obj"].object_list]


@pytest.fixture
def cases():
    occitanie = RegionFactory(code="76", name="Occitanie")
    garonne = DepartementFactory(code="31", name="Haute-Garonne", region=occitanie)
    sicoval = CollectiviteFactory(name="CA du Sicoval", kind="ca", departement=garonne)
    return {
        "water": UseCaseFactory(
            published=True,
            title="Détecter les fuites du réseau d’eau potable",
            summary="Un modèle classe les tronçons par probabilité de fuite.",
            collectivite=sicoval,
        ),
        "new": UseCaseFactory(
            published=True,
            title="Un nouveau portail à Bordeaux",
            summary="Le nouveau réseau de l’éclairage public, sans rien d’autre.",
        ),
        "rennes": UseCaseFactory(
            published=True,
            title="Rendre les données ouvertes",
            summary="Les dons aux associations et la rénovation des écoles.",
        ),
        "ardeche": UseCaseFactory(
            published=True,
            title="Mutualiser la rédaction des actes",
            summary="L’opérateur numérique de la Drôme et de l’Ardèche ouvre un outil.",
        ),
        "hr": UseCaseFactory(
            published=True,
            title="Trier les candidatures",
            summary="La direction des ressources humaines classe les candidatures.",
        ),
        "floods": UseCaseFactory(
            published=True,
            title="Anticiper les inondations",
            summary="Un système prévoit le débit des cours d’eau en temps réel.",
        ),
    }


def test_whole_words_not_substrings(cases):
    """« eau » is not inside « nouveau », « réseau », « Bordeaux »; « rag » not in « éclairage »."""
    assert found("eau") == {cases["water"].title, cases["floods"].title}
    assert found("rag") == set()


def test_curly_and_straight_apostrophes_separate_words(cases):
    assert found("Ardèche") == {cases["ardeche"].title}
    assert found("l’Ardèche") == found("l'Ardèche") == {cases["ardeche"].title}
    assert words("l’Ardèche") == ["l", "ardeche"]


def test_french_stemming_on_both_databases(cases):
    """« détection » finds « Détecter »; singular and plural meet."""
    assert found("détection") == {cases["water"].title}
    assert found("fuite") == found("fuites") == {cases["water"].title}
    # « les » is not in PostgreSQL's French stop list: both indexes keep it.
    assert index_terms("Détecter des détections") == ["detect", "detect"]


def test_short_stems_are_never_prefixes(cases):
    """« Rennes » (stem « ren ») finds no « rendre », « rénovation »; « données » no « dons »."""
    assert found("Rennes") == set()
    assert found("données") == {cases["rennes"].title}
    assert found("dons") == {cases["rennes"].title}  # the word itself, as typed


def test_places_of_the_collectivite_are_searchable(cases):
    """The région and département of the lead (and partner) collectivités."""
    assert found("Occitanie") == {cases["water"].title}
    assert found("Haute-Garonne") == {cases["water"].title}
    partner = UseCaseFactory(published=True, title="Un projet en partenariat")
    partner.partners.add(cases["water"].collectivite)
    UseCase.objects.filter(pk=partner.pk).refresh_search_index()
    assert found("Occitanie") == {cases["water"].title, partner.title}


def test_title_ranks_first(client, cases):
    """BM25 (SQLite) and ts_rank (PostgreSQL) with field weights: the title above the body."""
    UseCaseFactory(
        published=True,
        title="Un tableau de bord",
        summary="Rien à voir.",
        need="Les inondations de 2018 ont montré le besoin d’un tableau de bord.",
    )
    assert titles(page(client, q="inondations"))[0] == cases["floods"].title


def test_thesaurus_acronyms_and_synonyms(cases):
    assert found("RH") == {cases["hr"].title}
    assert found("crue") == {cases["floods"].title}


def test_moderators_extend_the_thesaurus_in_the_admin(client, cases):
    assert found("recrutement") == set()
    staff = moderator()
    client.force_login(staff)
    response = client.post(
        reverse("admin:usecases_thesaurusentry_add"),
        {"expressions": "recrutement, candidatures", "note": "RH"},
    )
    assert response.status_code == 302
    assert found("recrutement") == {cases["hr"].title}
    entry = ThesaurusEntry.objects.get(expressions="recrutement, candidatures")
    entry.delete()
    assert found("recrutement") == set()


def test_a_thesaurus_entry_needs_two_expressions(admin_client):
    response = admin_client.post(
        reverse("admin:usecases_thesaurusentry_add"), {"expressions": "seul", "note": ""}
    )
    assert response.status_code == 200
    assert "au moins deux expressions" in response.content.decode()


def test_a_typo_is_corrected_and_the_page_says_so(client, cases):
    response = page(client, q="inondaiton")
    assert titles(response) == [cases["floods"].title]
    content = response.content.decode()
    assert "Résultats pour «&nbsp;<strong>inondations</strong>&nbsp;»" in content
    assert "rechercher plutôt" in content
    link = re.search(r'rechercher plutôt <a href="([^"]+)">inondaiton</a>', content).group(1)
    assert "tel_quel=1" in link
    # As typed, it finds nothing: the page says so honestly.
    response = page(client, q="inondaiton", tel_quel="1")
    assert titles(response) == []
    assert "Aucun cas d’usage ne correspond" in response.content.decode()


def test_a_correction_never_points_to_an_unpublished_case(cases):
    UseCaseFactory(title="Brouillon sur la végétalisation")  # a draft
    assert SearchWord.objects.filter(word="vegetalisation").exists()
    result = search.find("vegetalisaton")
    assert result.corrections == {}
    assert list(result.pks) == []


def test_approximate_results_when_no_case_holds_every_word(client, cases):
    response = page(client, q="détecter les fuites du réseau de chaleur urbain")
    assert titles(response) == [cases["water"].title]
    assert "résultats approchants" in response.content.decode()
    assert "contenant la plupart des mots" in response.content.decode()


def test_no_relevant_case_is_said_honestly_with_the_themes(client, cases):
    response = page(client, q="piscine municipale")
    content = response.content.decode()
    assert titles(response) == []
    assert "Aucun cas d’usage ne correspond à «&nbsp;piscine municipale&nbsp;»" in content
    assert "parcourez les cas d’usage par thème" in content
    assert reverse("usecases:theme", args=["transition-ecologique-et-energetique"]) in content


def test_snippets_mark_the_words_and_escape_the_rest(client, cases):
    UseCaseFactory(
        published=True,
        title="Un titre sans le mot",
        summary="Sans le mot non plus.",
        results="<script>alert(1)</script> Les inondations ont baissé de 20 %.",
    )
    content = page(client, q="inondations").content.decode()
    assert "<mark>inondations</mark>" in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_relevance_stays_the_order_until_another_sort_is_chosen(client, cases):
    content = page(client, q="eau").content.decode()
    assert '<option value="pertinence" selected>' in content
    assert '<option value="recent" selected>' not in content
    content = page(client, q="eau", tri="recent").content.decode()
    assert '<option value="recent" selected>' in content
    content = page(client).content.decode()
    assert '<option value="recent" selected>' in content


BAD_INPUT = [
    "",
    "   ",
    "!!!",
    '"',
    '"fuites',
    "*",
    "fuite*",
    "NEAR(fuites eau)",
    "fuites NEAR eau",
    "-fuites",
    "fuites -eau",
    "title:fuites",
    "fuites : eau",
    "fuites AND OR NOT",
    "( ) ^ { } [ ]",
    "'; DROP TABLE usecases_usecase; --",
    "fuite & | ! :* <-> \\",
    "é" * 199,
    "fuites " * 28,
    "\u2019\u00ab\u00bb\u2014",
]


@pytest.mark.parametrize("query", BAD_INPUT)
def test_bad_input_never_errors(client, cases, query):
    """Neither engine ever sees syntax from a query: every one answers 200 (or 400 if too long)."""
    response = client.get(reverse("usecases:list"), {"q": query})
    assert response.status_code == 200
    UseCase.objects.published().search(query).count()
    search.find(query)


def test_too_long_query_is_a_clear_400(client, cases):
    response = client.get(reverse("usecases:list"), {"q": "x" * 5000})
    assert response.status_code == 400
    assert "La recherche n’a pas pu être faite" in response.content.decode()


def test_api_search_uses_the_same_engine(client, cases):
    response = client.get("/api/v1/cas-d-usage/", {"q": "inondaiton"})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == [cases["floods"].title]


def test_index_follows_a_deletion_and_a_flush(cases):
    """SQLite's FTS5 rows of deleted cases go (post_migrate after a flush, sync_fts)."""
    cases["water"].delete()
    search.sync_fts()
    assert found("fuites") == set()


def test_refresh_command_rebuilds_everything(cases):
    UseCase.objects.filter(pk=cases["floods"].pk).update(search_keywords="")
    call_command("refresh_search_index", verbosity=0)
    assert found("Bretagne") >= {cases["floods"].title}
