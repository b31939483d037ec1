"""A draft (or any unpublished case) appears on no public surface."""

import pytest

from tests.factories import UseCaseFactory
from usecases.choices import Status

pytestmark = pytest.mark.django_db

SECRET = "Projet confidentiel zéphyr"


@pytest.mark.parametrize(
    "status",
    [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED, Status.ARCHIVED],
)
def test_unpublished_case_is_nowhere(client, status):
    UseCaseFactory(published=True, title="Un cas publié")
    hidden = UseCaseFactory(status=status, title=SECRET, slug="projet-confidentiel-zephyr")
    urls = [
        "/",
        "/cas-d-usage/",
        "/cas-d-usage/?q=zephyr",
        f"/themes/{hidden.theme.slug}/",
        "/donnees/cas-d-usage.csv",
        "/donnees/cas-d-usage.json",
        "/api/v1/cas-d-usage/",
        "/api/v1/cas-d-usage/?q=zephyr",
        "/flux.xml",
        f"/themes/{hidden.theme.slug}/flux.xml",
        "/sitemap-cas-d-usage.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in body.decode("utf-8-sig"), url
        assert hidden.slug not in body.decode("utf-8-sig"), url
    assert client.get(f"/cas-d-usage/{hidden.slug}/").status_code == 404
    assert client.get(f"/api/v1/cas-d-usage/{hidden.slug}/").status_code == 404
