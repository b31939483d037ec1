"""/api/v1/cas-d-usage/<slug>/historique/: a sheet's version number, dates and public history."""

import pytest
import time_machine
from django.urls import reverse

from tests.reviews.test_history import SECRET_NOTE, at, update
from tests.reviews.test_history import sheet as sheet  # noqa: F401 - the fixture
from usecases.models import UseCaseSlugHistory

pytestmark = pytest.mark.django_db


def url(slug):
    return reverse("api:usecase-history", kwargs={"slug": slug})


def test_version_dates_and_changes(client, sheet, author, mod):  # noqa: F811
    update(sheet, author, mod, at(2027, 2, 3, 9), stage="deployment", contact_email="x@y.fr")
    with time_machine.travel(at(2027, 3, 1, 9), tick=False):
        from reviews.services import confirm_still_current

        confirm_still_current(use_case=sheet, by=author)
    sheet.refresh_from_db()
    response = client.get(url(sheet.slug))
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 2
    assert data["updated_at"] == "2027-02-03T08:00:00Z"
    assert data["information_date"] == "2027-03-01T08:00:00Z"
    assert data["history_url"].endswith(f"/cas-d-usage/{sheet.slug}/historique/")
    assert [(e["kind"], e["version"], e["date"]) for e in data["history"]] == [
        ("confirmation", None, "2027-03-01T08:00:00Z"),
        ("update", 2, "2027-02-03T08:00:00Z"),
        ("publication", 1, "2026-12-01T09:00:00Z"),
    ]
    assert data["history"][1]["changes"] == [
        {"field": "stage", "label": "Stade", "before": "Expérimentation", "after": "Déploiement"}
    ]
    body = response.content.decode()
    for private in ("agglo-exemple.fr", "x@y.fr", SECRET_NOTE, author.email, mod.email):
        assert private not in body


def test_unpublished_is_a_json_404_and_a_former_slug_redirects(client, sheet):  # noqa: F811
    from tests.factories import UseCaseFactory

    draft = UseCaseFactory(status="draft", slug="brouillon")
    response = client.get(url(draft.slug))
    assert response.status_code == 404 and "detail" in response.json()
    UseCaseSlugHistory.objects.create(use_case=sheet, old_slug="ancien-titre")
    response = client.get(url("ancien-titre"))
    assert response.status_code == 301 and response["Location"] == url(sheet.slug)


def test_documented_in_the_schema_and_on_the_api_page(client):
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/v1/cas-d-usage/{slug}/historique/" in schema
    assert "/api/v1/cas-d-usage/identifiant/historique/" in client.get("/api/").content.decode()


def export(client, **params):
    response = client.get(reverse("opendata:export_json"), params)
    return response, b"".join(response.streaming_content) if response.streaming else None


def test_the_json_export_includes_the_history_on_request(
    client,
    sheet,  # noqa: F811
    author,
    mod,
    django_assert_max_num_queries,
):
    update(sheet, author, mod, at(2027, 2, 3, 9), stage="deployment")
    from tests.factories import UseCaseFactory

    for n in range(5):
        UseCaseFactory(published=True, slug=f"autre-{n}")
    import json

    _response, body = export(client)
    assert all("history" not in record for record in json.loads(body)["data"])
    response, body = export(client, historique="1", stade="deployment")
    assert response.status_code == 200
    [record] = json.loads(body)["data"]
    assert record["slug"] == sheet.slug
    assert [(e["kind"], e["version"]) for e in record["history"]] == [
        ("update", 2),
        ("publication", 1),
    ]
    assert record["history"][0]["changes"][0]["after"] == "Déploiement"
    # The engine's queries, the records' relations (two of them the solutions and the reuse
    # declarations), then the histories of the whole chunk in one query and the names of themes,
    # techniques and partners: no query per case.
    with django_assert_max_num_queries(14):
        _response, body = export(client, historique="1")
    histories = {r["slug"]: r["history"] for r in json.loads(body)["data"]}
    assert len(histories) == 6 and [e["kind"] for e in histories["autre-0"]] == ["publication"]


def test_the_history_parameter_takes_only_1(client, db):
    response, _body = export(client, historique="oui")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "historique": ["Le paramètre « historique » ne prend que la valeur 1."]
    }
