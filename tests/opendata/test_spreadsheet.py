"""The spreadsheet export: read back with odfpy, as a person's office suite would open it."""

import io
import zipfile

import pytest
from django.urls import reverse
from odf import teletype
from odf.opendocument import load
from odf.table import TableCell, TableRow
from odf.text import P

from tests.factories import UseCaseFactory
from usecases import spreadsheet
from usecases.models import Technique

pytestmark = pytest.mark.django_db

ODS_URL = "/donnees/cas-d-usage.ods"


def read_rows(response):
    """Every row of the first sheet, each cell as its list of paragraphs joined by newlines."""
    content = b"".join(response.streaming_content)
    document = load(io.BytesIO(content))
    rows = []
    for table_row in document.spreadsheet.getElementsByType(TableRow):
        cells = table_row.getElementsByType(TableCell)
        rows.append(
            [
                "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))
                for cell in cells
            ]
        )
    return rows


def as_dicts(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def test_url_is_stable():
    assert reverse("opendata:export_ods") == ODS_URL


def test_spreadsheet_is_a_valid_opendocument_archive(client, rich_case):
    response = client.get(ODS_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert 'filename="cas-d-usage.ods"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"


def test_headers_are_french_and_values_are_labels(client, rich_case):
    rows = read_rows(client.get(ODS_URL))
    header = rows[0]
    assert header[:3] == ["Identifiant numérique", "Adresse de la fiche", "Titre"]
    assert "Hébergement" in header and "Stade" in header and "Type de collectivité" in header
    assert "Identifiant d’URL" not in header  # the slug is for programs
    (record,) = as_dicts(rows)
    assert record["Titre"] == "Détecter les fuites du réseau d’eau potable"
    assert record["Stade"] == "Déploiement"
    assert record["Hébergement"] == "Cloud souverain en France"
    expected = Technique.objects.filter(
        slug__in=["apprentissage-automatique", "vision-par-ordinateur"]
    ).values_list("name", flat=True)
    assert sorted(record["Techniques d’IA"].split("\n")) == sorted(expected)
    assert len(expected) == 2
    for code in ("deployment", "sovereign_cloud", "apprentissage-automatique", "["):
        assert code not in "".join(record.values()), code
    assert record["Collectivités partenaires"] == "Saint-Étienne-en-Coglès"
    assert record["Chiffres clés"] == "12 % de pertes en moins"
    assert record["Date de publication"].count("/") == 2


def test_one_row_per_case_of_the_filtered_list(client):
    for title in ("Agent vocal des mairies", "Bornes de recharge", "Compter les vélos"):
        UseCaseFactory(published=True, stage="deployment", title=title)
    UseCaseFactory(published=True, stage="idea", title="Une idée")
    UseCaseFactory(status="draft", stage="deployment", title="Un brouillon")
    params = {"stade": "deployment", "tri": "titre"}
    listed = client.get(reverse("usecases:list"), params).context["page_obj"].paginator.count
    records = as_dicts(read_rows(client.get(ODS_URL, params)))
    assert len(records) == listed == 3
    assert [record["Titre"] for record in records] == [
        "Agent vocal des mairies",
        "Bornes de recharge",
        "Compter les vélos",
    ]


def test_invalid_filters_give_a_french_400(client):
    response = client.get(ODS_URL, {"stade": "inconnu"})
    assert response.status_code == 400
    assert response.content.decode().startswith("Les paramètres de filtre ne sont pas valides :")


def test_cells_drop_characters_xml_forbids_and_keep_markup_as_text(client):
    UseCaseFactory(published=True, title="<b>Gras</b> & \x0bcontrôle", summary="=1+1")
    (record,) = as_dicts(read_rows(client.get(ODS_URL)))
    assert record["Titre"] == "<b>Gras</b> & contrôle"
    assert record["Résumé"] == "=1+1"  # a string cell, never a formula


def test_typed_cells():
    assert 'office:value-type="float" office:value="2024"' in spreadsheet.cell(2024)
    assert 'office:date-value="2025-03-01"' in spreadsheet.cell("2025-03-01T10:00:00Z")
    assert spreadsheet.cell(None) == spreadsheet.cell("") == "<table:table-cell/>"
    assert spreadsheet.cell(["a", "b"]).count("<text:p>") == 2
