import pytest
from django.test.utils import override_settings

from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def test_open_data_page_explains_licence_schema_and_downloads(client, rich_case):
    """/donnees/: licence, schema link and version, downloads with counts, curl examples."""
    UseCaseFactory(title="Un brouillon")
    response = client.get("/donnees/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Données ouvertes</h1>" in content
    assert "Licence Ouverte" in content
    assert 'href="/donnees/schema/cas-d-usage.json"' in content
    assert "version 1.2.0" in content
    assert 'href="/donnees/cas-d-usage.csv"' in content
    assert 'href="/donnees/cas-d-usage.json"' in content
    assert "1 ligne de données" in content
    assert response.context["stats"]["count"] == 1
    assert response.context["stats"]["last_update"] == rich_case.updated_at
    assert (
        'curl "http://testserver/api/v1/cas-d-usage/?theme=mobilites&amp;page_size=50"' in content
    )
    field_names = content.split('<code class="field-names">', 1)[1].split("</code>", 1)[0]
    assert "contact_email" in field_names.split(", ")


def test_api_documentation_page_lists_endpoints_and_parameters(client, rich_case):
    """/api/: served by the site itself, no third-party script, every filter documented."""
    response = client.get("/api/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>API en lecture</h1>" in content
    assert 'href="/api/v1/schema/"' in content
    for name in ("q", "theme", "region", "departement", "type", "stade", "technique"):
        assert f"<code>{name}</code>" in content
    assert "120 requêtes par minute" in content
    assert f"/api/v1/cas-d-usage/{rich_case.slug}/" in content
    # Everything comes from the site itself: no third-party script, style or font.
    assert 'src="http' not in content
    assert 'rel="stylesheet" href="http' not in content


@override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": "30/hour"}})
def test_api_page_shows_the_configured_rate(client):
    assert "30 requêtes par heure" in client.get("/api/").content.decode()


def test_footer_links_to_open_data(client):
    content = client.get("/").content.decode()
    assert 'href="/donnees/"' in content
    assert 'href="/api/"' in content
