"""Error pages in French, without traceback; database outage answered 503."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]


@pytest.fixture
def client():
    """Answers as the server would: exceptions become error pages, not test failures."""
    return Client(raise_request_exception=False)


def assert_no_leak(html):
    for leak in ("Traceback", "secret-detail", "RuntimeError", "OperationalError", "10.0.0.5"):
        assert leak not in html


def test_unexpected_error_gives_the_french_500_page(client, settings):
    assert settings.DEBUG is False
    response = client.get("/essai/plantage/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Une erreur est survenue" in html
    assert_no_leak(html)


def test_unknown_page_gives_the_french_404_page(client):
    response = client.get("/cas-d-usage/n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert_no_leak(html)


def test_database_error_in_a_view_gives_503_with_retry_after(client, django_assert_num_queries):
    """The middleware turns OperationalError into the French 503 page, without a query."""
    with django_assert_num_queries(0):
        response = client.get("/essai/base-indisponible/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Service momentanément indisponible" in html
    assert '<html lang="fr">' in html
    assert_no_leak(html)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_errors_on_catalogue_pages_give_503(client, error):
    """A lost connection on a real page (here the list's queryset) is a 503, not a 500."""
    with mock.patch("usecases.views.Listing", side_effect=error("server closed")):
        response = client.get(reverse("usecases:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert_no_leak(response.content.decode())


def test_database_error_outside_the_view_gives_503_too(client):
    """Saving the session fails in middleware, after the view: the 500 handler answers 503."""
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.save",
        side_effect=OperationalError("terminating connection due to administrator command"),
    ):
        response = client.get("/essai/session/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert_no_leak(response.content.decode())


def test_database_outage_is_logged_on_one_line(client, caplog):
    client.get("/essai/base-indisponible/")
    records = [r for r in caplog.records if r.name == "bibliotheque.middleware"]
    assert len(records) == 1
    assert records[0].levelname == "ERROR"
    assert records[0].exc_info is None
    assert "\n" not in records[0].getMessage()


def test_other_errors_are_not_disguised_as_outages(client):
    response = client.get("/essai/plantage/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_health_endpoint_reports_a_working_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_endpoint_reports_an_unreachable_database(client):
    """503 with a JSON body when PostgreSQL does not answer; no versions, no details."""
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("could not connect to server")
    with mock.patch("bibliotheque.views.connection", broken):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_500_page_shows_a_reference_found_in_the_logs(client, caplog):
    """The page gives a short error id; the log line with the traceback carries it."""
    import re

    response = client.get("/essai/plantage/")
    reference = re.search(r"<code>([0-9a-f]{12})</code>", response.content.decode()).group(1)
    logged = [r for r in caplog.records if r.name == "bibliotheque.views"]
    assert any(reference in r.getMessage() and r.exc_info for r in logged)
