"""The open data is readable from any site's scripts (CORS); nothing else is shared."""

import pytest

from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db

ORIGIN = {"Origin": "https://journal.example"}
PUBLIC = [
    "/api/v1/",
    "/api/v1/cas-d-usage/",
    "/api/v1/cas-d-usage/?theme=mobilites",
    "/api/v1/themes/",
    "/api/v1/cas-d-usage/inconnu/",
    "/donnees/cas-d-usage.csv",
    "/donnees/cas-d-usage.ods?theme=mobilites",
    "/donnees/cas-d-usage.json?stade=inconnu",
    "/donnees/schema/cas-d-usage.json",
]
PRIVATE = ["/", "/cas-d-usage/", "/donnees/", "/compte/login/", "/admin/login/"]


@pytest.mark.parametrize("path", PUBLIC)
def test_open_data_answers_any_origin(client, path):
    UseCaseFactory(published=True)
    response = client.get(path, headers=ORIGIN)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("path", PRIVATE)
def test_pages_are_not_shared_with_other_sites(client, path):
    response = client.get(path, headers=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response


def test_a_preflight_allows_reading_only(client):
    response = client.options(
        "/api/v1/cas-d-usage/",
        headers={**ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
