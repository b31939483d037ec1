import csv
import io
import json

import pytest
from django.urls import reverse
from frictionless import Resource, Schema

from tests.factories import UseCaseFactory
from usecases import exports
from usecases.choices import Status
from usecases.models import UseCase

pytestmark = pytest.mark.django_db

CSV_URL = "/donnees/cas-d-usage.csv"
JSON_URL = "/donnees/cas-d-usage.json"


def read(response):
    return b"".join(response.streaming_content)


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(read(response).decode("utf-8-sig"))))


def json_data(response):
    return json.loads(read(response))["data"]


def test_urls_are_stable():
    """The download addresses documented on /donnees/ do not move."""
    assert reverse("opendata:export_csv") == CSV_URL
    assert reverse("opendata:export_json") == JSON_URL
    assert reverse("opendata:schema") == "/donnees/schema/cas-d-usage.json"


def test_record_follows_the_schema_field_order(rich_case):
    """A record has exactly the schema's fields, in its order."""
    record = exports.use_case_record(UseCase.objects.with_public_record_data().get())
    assert list(record) == list(exports.field_names())


def test_csv_streams_published_cases_with_bom_and_accents(client, rich_case):
    """UTF-8 with BOM, comma-separated, header of schema names, accents intact."""
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="cas-d-usage.csv"' in response["Content-Disposition"]
    body = read(response)
    assert body.startswith(b"\xef\xbb\xbfid,slug,url,title,")
    text = body.decode("utf-8-sig")
    assert "Détecter les fuites du réseau d’eau potable" in text
    assert "« intelligents »" in text
    [row] = csv_rows(client.get(CSV_URL))
    assert row["slug"] == rich_case.slug
    assert row["url"] == f"http://testserver/cas-d-usage/{rich_case.slug}/"
    assert json.loads(row["techniques"]) == ["apprentissage-automatique", "vision-par-ordinateur"]
    assert json.loads(row["tags"]) == ["eau potable", "réseaux"]
    assert json.loads(row["partners"]) == ["Saint-Étienne-en-Coglès"]
    assert json.loads(row["key_figures"]) == ["12 % de pertes en moins"]
    assert json.loads(row["resources"]) == ["https://example.org/delib"]
    assert row["end_year"] == "2025"
    assert row["contact_email"] == "donnees@example.org"


def test_json_export_has_license_schema_and_records(client, rich_case):
    """The JSON export carries the licence, the schema address and version, then the records."""
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(read(response))
    assert document["license"]["name"] == "etalab-2.0"
    assert document["schema"] == {
        "path": "http://testserver/donnees/schema/cas-d-usage.json",
        "version": exports.load_schema()["version"],
    }
    [record] = document["data"]
    assert record["title"] == "Détecter les fuites du réseau d’eau potable"
    assert record["end_year"] == 2025
    assert record["techniques"] == ["apprentissage-automatique", "vision-par-ordinateur"]
    assert record["published_at"].endswith("Z")


def test_empty_catalogue_gives_valid_empty_exports(client):
    """No published case: a header-only CSV and an empty JSON list."""
    assert csv_rows(client.get(CSV_URL)) == []
    assert json_data(client.get(JSON_URL)) == []


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_exports_hold_published_cases_only(client, url):
    """Drafts, submissions, rejected and archived cases are never exported."""
    published = UseCaseFactory(published=True)
    for status in (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED):
        UseCaseFactory(status=status)
    UseCaseFactory(status=Status.ARCHIVED, published_at=published.published_at)
    response = client.get(url)
    slugs = [row["slug"] for row in (csv_rows if url == CSV_URL else json_data)(response)]
    assert slugs == [published.slug]


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_exports_never_show_private_data(client, url):
    """No author, status nor a contact without consent; no moderation field at all."""
    UseCaseFactory(
        published=True,
        contact_role="Directrice des systèmes d’information",
        contact_email="secret@example.org",
        contact_is_public=False,
    )
    response = client.get(url)
    body = read(response).decode("utf-8-sig")
    assert "secret@example.org" not in body
    assert "Directrice des systèmes" not in body
    rows = csv_rows(client.get(url)) if url == CSV_URL else json_data(client.get(url))
    assert not {"author", "status", "contact_is_public", "search_text"} & set(rows[0])


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_filtered_exports_match_the_html_list(client, url):
    """Same query parameters as /cas-d-usage/, same cases in the same order."""
    UseCaseFactory(published=True, stage="deployment", title="Agent vocal des mairies")
    UseCaseFactory(published=True, stage="deployment", title="Bornes de recharge")
    UseCaseFactory(published=True, stage="idea", title="Compter les vélos")
    params = {"stade": "deployment", "tri": "titre"}
    html = client.get(reverse("usecases:list"), params)
    expected = [use_case.slug for use_case in html.context["page_obj"].object_list]
    response = client.get(url, params)
    rows = csv_rows(response) if url == CSV_URL else json_data(response)
    assert (
        [row["slug"] for row in rows]
        == expected
        == [
            "agent-vocal-des-mairies",
            "bornes-de-recharge",
        ]
    )


def test_search_filter_applies_to_exports(client, rich_case):
    """The full-text `q` criterion filters the exports too."""
    UseCaseFactory(published=True, title="Optimiser les tournées de collecte")
    assert [row["slug"] for row in csv_rows(client.get(CSV_URL, {"q": "fuites"}))] == [
        rich_case.slug
    ]
    assert json_data(client.get(JSON_URL, {"q": "introuvablezzz"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"stade": "inconnu"},
        {"theme": "pas-un-theme"},
        {"mot_cle": "pas un slug !"},
        {"annee": "deux-mille"},
        {"tri": "prix"},
        {"q": "x" * 201},
    ],
)
def test_invalid_filters_give_400_in_each_format(client, params):
    """JSON export: 400 with a JSON body; CSV: 400 with a French plain-text message."""
    as_json = client.get(JSON_URL, params)
    assert as_json.status_code == 400
    assert as_json["Content-Type"].startswith("application/json")
    body = as_json.json()
    assert body["detail"] == "Les paramètres de filtre ne sont pas valides."
    assert set(body["errors"]) == set(params)
    as_csv = client.get(CSV_URL, params)
    assert as_csv.status_code == 400
    assert as_csv["Content-Type"] == "text/plain; charset=utf-8"
    assert as_csv.content.decode().startswith("Les paramètres de filtre ne sont pas valides :")


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_formulas(client, prefix):
    """A cell starting with a formula character is prefixed with a quote."""
    UseCaseFactory(
        published=True,
        summary=f'{prefix}HYPERLINK("https://evil.example")',
        vendor=f"{prefix}1+1",
    )
    [row] = csv_rows(client.get(CSV_URL))
    assert row["summary"] == f'\'{prefix}HYPERLINK("https://evil.example")'
    assert row["vendor"] == f"'{prefix}1+1"
    # The JSON export carries the text as it is.
    [record] = json_data(client.get(JSON_URL))
    assert record["vendor"] == f"{prefix}1+1"


def test_csv_cell_rules():
    """Lists become JSON arrays, None an empty cell, numbers and plain text stay as they are."""
    assert exports.csv_cell(None) == ""
    assert exports.csv_cell(["a", "é"]) == '["a", "é"]'
    assert exports.csv_cell(2024) == 2024
    assert exports.csv_cell("Texte") == "Texte"
    assert exports.csv_cell("=SUM(A1)") == "'=SUM(A1)"


def _export_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
        read(response)
    return len(captured)


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_export_queries_do_not_grow_with_rows(
    client, url, settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """As in production, once the catalogue index is built: the catalogue version, the rows
    and seven prefetches (solutions and reuse declarations included), for 2 or 30
    rows."""
    settings.COUNTS_CACHE_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        UseCaseFactory.create_batch(2, published=True, tags=["eau"], techniques=["optimisation"])
    read(client.get(url))  # Builds the index of this catalogue version.
    few = _export_queries(client, url, django_assert_max_num_queries, 9)
    with django_capture_on_commit_callbacks(execute=True):
        UseCaseFactory.create_batch(28, published=True, tags=["air"], techniques=["ia-generative"])
    rows = csv_rows(client.get(url)) if url == CSV_URL else json_data(client.get(url))
    assert len(rows) == 30  # The new cases are in: the index followed the catalogue version.
    many = _export_queries(client, url, django_assert_max_num_queries, 9)
    assert few == many


def test_rows_are_prefetched_chunk_by_chunk(client, monkeypatch):
    """Across several chunks, every row still carries its own relations."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    for number in range(5):
        UseCaseFactory(published=True, tags=[f"mot-{number}"])
    rows = csv_rows(client.get(CSV_URL))
    assert len(rows) == 5
    assert sorted(json.loads(row["tags"])[0] for row in rows) == [f"mot-{n}" for n in range(5)]


def test_generated_csv_validates_against_the_table_schema(client, rich_case, tmp_path):
    """frictionless validates the CSV export (types, enums, required, unique) with our schema."""
    UseCaseFactory(published=True, summary="=1+1", cost_range="lt_10k", human_oversight="sampling")
    UseCaseFactory(published=True, title="Projet arrêté", stage="stopped", end_year=2026)
    path = tmp_path / "cas-d-usage.csv"
    path.write_bytes(read(client.get(CSV_URL)))
    schema = Schema.from_descriptor(exports.load_schema())
    report = Resource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 3


def test_schema_descriptor_is_a_valid_versioned_table_schema(client):
    """The stable schema URL serves a valid Table Schema with a version and absolute links."""
    response = client.get("/donnees/schema/cas-d-usage.json")
    assert response.status_code == 200
    descriptor = response.json()
    assert Schema.validate_descriptor(descriptor).valid
    assert descriptor["version"] == exports.load_schema()["version"]
    assert descriptor["path"] == "http://testserver/donnees/schema/cas-d-usage.json"


def test_schema_enums_match_the_model_choices():
    """The schema's enumerations are the models' choices (no drift between them)."""
    from collectivites.choices import Kind
    from usecases import choices

    fields = {field["name"]: field for field in exports.load_schema()["fields"]}
    expected = {
        "collectivite_kind": Kind,
        "stage": choices.Stage,
        "build_mode": choices.BuildMode,
        "hosting": choices.Hosting,
        "hosting_data_in_eu": choices.DataInEU,
        "cost_range": choices.CostRange,
        "human_oversight": choices.HumanOversight,
        "personal_data": choices.PersonalData,
        "impact_assessment": choices.ImpactAssessment,
        "ai_act_risk": choices.RiskLevel,
    }
    for name, enum in expected.items():
        values = [value for value in enum.values if value]
        assert fields[name]["constraints"]["enum"] == values, name
