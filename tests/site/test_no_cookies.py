"""No consent banner is needed because an anonymous visit sets no cookie at all."""

import pytest
from django.urls import reverse

from tests.factories import ResourceFactory, UseCaseFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = "/page-qui-n-existe-pas/"


def public_urls(use_case):
    return [
        reverse("home"),
        reverse("usecases:list"),
        reverse("usecases:list") + "?theme=mobilites&stade=experiment&q=service",
        reverse("usecases:list") + "?q=aucun-resultat-possible",
        use_case.get_absolute_url(),
        use_case.theme.get_absolute_url(),
        reverse("collectivites:list"),
        use_case.collectivite.get_absolute_url(),
        reverse("statistics"),
        reverse("accessibility"),
        reverse("legal_notice"),
        reverse("privacy"),
        reverse("site_map"),
        reverse("about"),
        reverse("ecodesign"),
        "/donnees/",
        "/api/",
        NOT_FOUND,
    ]


def test_anonymous_visit_of_every_public_page_sets_no_cookie(client):
    use_case = UseCaseFactory(published=True, tags=["eau"])
    ResourceFactory(use_case=use_case)
    for url in public_urls(use_case):
        response = client.get(url, follow=True)
        assert response.status_code == (404 if url == NOT_FOUND else 200), url
        assert not response.cookies, f"{url} sets {list(response.cookies)}"
        assert "Set-Cookie" not in response.headers, url
    assert not client.cookies
