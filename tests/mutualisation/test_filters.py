"""« Solution » and « Déjà repris ailleurs »: two criteria of the catalogue engine, declared once
(usecases/listing/criteria.py), so every list has them: the HTML list and theme pages, the API,
the exports, the feeds, the alerts and the widget."""

import json

import pytest
from django.urls import reverse

from alerts import criteria as alert_criteria
from tests.factories import UseCaseFactory
from tests.mutualisation.factories import DeclarationFactory, SolutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    """Three cases: one on the « Détecteur » solution and reused, one considered only, one
    reused by a declaration a moderator hid."""
    detector = UseCaseFactory(published=True, title="Détecter les fuites")
    considered = UseCaseFactory(published=True, title="Prévoir les crues")
    hidden = UseCaseFactory(published=True, title="Compter les vélos")
    solution = SolutionFactory(name="Détecteur <b>X</b>", slug="detecteur", cases=[detector])
    DeclarationFactory(use_case=detector)
    DeclarationFactory(use_case=considered, kind="considering")
    DeclarationFactory(use_case=hidden, hidden_at="2026-01-01T00:00Z")
    draft = UseCaseFactory(title="Brouillon réutilisé")
    solution.use_cases.add(draft)
    DeclarationFactory(use_case=draft)
    return detector, solution


def titles(response):
    return [case.title for case in response.context["page_obj"].object_list]


@pytest.mark.parametrize("params", [{"solution": "detecteur"}, {"repris": "oui"}])
def test_the_list_and_theme_pages_filter(client, cases, params):
    detector, _solution = cases
    assert titles(client.get(reverse("usecases:list"), params)) == ["Détecter les fuites"]
    theme_url = reverse("usecases:theme", args=[detector.theme.slug])
    assert titles(client.get(theme_url, params)) == ["Détecter les fuites"]


def test_the_facets_show_both_with_counts_and_escape_names(client, cases):
    """Both facets are offered with a related choice (or their own), to keep the list light."""
    plain = client.get(reverse("usecases:list")).content.decode()
    assert 'name="solution"' not in plain and 'name="repris"' not in plain
    by_vendor = client.get(reverse("usecases:list"), {"realisation": "vendor"}).content.decode()
    assert '<label for="f-solution">Solution</label>' in by_vendor
    assert '<option value="detecteur">Détecteur &lt;b&gt;X&lt;/b&gt; (1)</option>' in by_vendor
    assert "<b>X</b>" not in by_vendor
    chosen = client.get(reverse("usecases:list"), {"repris": "oui"}).content.decode()
    assert "<legend>Reprises</legend>" in chosen
    assert 'name="repris" value="oui" id="f-repris-1" checked> Déjà repris ailleurs (1)' in chosen
    assert "Reprises&nbsp;: Déjà repris ailleurs" in chosen  # the removable chip


def test_the_solution_facet_lists_the_most_used_only(client):
    for n in range(15):
        SolutionFactory(slug=f"outil-{n:02}", cases=UseCaseFactory.create_batch(1, published=True))
    SolutionFactory(slug="la-plus-utilisee", cases=UseCaseFactory.create_batch(3, published=True))
    url = reverse("usecases:list")
    content = client.get(url, {"realisation": "vendor"}).content.decode()
    assert content.count('<option value="outil-') == 11
    assert '<option value="la-plus-utilisee">' in content
    # A solution outside the most used ones is still accepted, and shown once chosen.
    chosen = client.get(url, {"solution": "outil-14"}).content.decode()
    assert '<option value="outil-14" selected>' in chosen


def test_unknown_or_unpublished_solutions_are_refused_in_french(client, cases):
    SolutionFactory(slug="seulement-en-brouillon", cases=[UseCaseFactory()])
    for slug in ("inconnue", "seulement-en-brouillon"):
        response = client.get(reverse("api:usecase-list"), {"solution": slug})
        assert response.status_code == 400
        assert "Sélectionnez un choix valide" in response.json()["errors"]["solution"][0]
    assert client.get(reverse("usecases:list"), {"repris": "peut-etre"}).status_code == 400


def test_the_api_exports_and_feed_filter(client, cases):
    api = client.get(reverse("api:usecase-list"), {"solution": "detecteur", "repris": "oui"})
    assert [row["title"] for row in api.json()["results"]] == ["Détecter les fuites"]
    parameters = client.get("/api/v1/schema/").content.decode()
    assert "name: solution" in parameters and "name: repris" in parameters
    csv_text = b"".join(
        client.get(reverse("opendata:export_csv"), {"repris": "oui"}).streaming_content
    ).decode("utf-8-sig")
    assert "Détecter les fuites" in csv_text and "Prévoir les crues" not in csv_text
    records = json.loads(
        b"".join(
            client.get(reverse("opendata:export_json"), {"solution": "detecteur"}).streaming_content
        )
    )
    records = records.get("cas_d_usage", records) if isinstance(records, dict) else records
    assert "Détecter les fuites" in json.dumps(records, ensure_ascii=False)
    assert "Compter les vélos" not in json.dumps(records, ensure_ascii=False)
    feed = client.get(reverse("opendata:feed"), {"repris": "oui"}).content.decode()
    assert "Détecter les fuites" in feed and "Compter les vélos" not in feed


def test_alerts_and_widget_filter(client, cases):
    stored = alert_criteria.canonical("solution=detecteur&repris=oui&comparer=1")
    assert stored == "repris=oui&solution=detecteur"
    assert [case.title for case in alert_criteria.matching(stored)] == ["Détecter les fuites"]
    assert alert_criteria.describe(stored) == [
        "Reprises : Déjà repris ailleurs",
        "Solution : Détecteur <b>X</b>",
    ]
    embed = client.get(reverse("widget:embed"), {"repris": "oui"}).content.decode()
    assert "Détecter les fuites" in embed and "Prévoir les crues" not in embed


def test_a_new_declaration_reaches_the_filter_at_once(
    client, cases, django_capture_on_commit_callbacks
):
    assert titles(client.get(reverse("usecases:list"), {"repris": "oui"})) == [
        "Détecter les fuites"
    ]
    other = UseCaseFactory(published=True, title="Répondre aux usagers")
    with django_capture_on_commit_callbacks(execute=True):
        declaration = DeclarationFactory(use_case=other)
    found = titles(client.get(reverse("usecases:list"), {"repris": "oui"}))
    assert sorted(found) == ["Détecter les fuites", "Répondre aux usagers"]
    with django_capture_on_commit_callbacks(execute=True):
        declaration.delete()
    assert titles(client.get(reverse("usecases:list"), {"repris": "oui"})) == [
        "Détecter les fuites"
    ]


def test_solution_and_observatory_pages_link_to_the_filtered_lists(client, cases):
    _detector, solution = cases
    page = client.get(solution.get_absolute_url()).content.decode()
    # The list, an alert, the widget and the downloads: the same selection.
    for name in (
        "usecases:list",
        "alerts:subscribe",
        "widget:builder",
        "opendata:export_ods",
        "opendata:export_csv",
        "opendata:export_json",
    ):
        assert f'href="{reverse(name)}?solution=detecteur"' in page
    builder = client.get(reverse("widget:builder"), {"solution": "detecteur"}).content.decode()
    assert "Cas d’usage de l’IA : Détecteur &lt;b&gt;X&lt;/b&gt;" in builder
    observatory = client.get(reverse("reuse:observatory")).content.decode()
    assert 'href="/cas-d-usage/?repris=oui"' in observatory
