"""The embeddable widget: a framable, script-free, cookie-free page, and the page that builds it."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UseCaseFactory, theme

pytestmark = pytest.mark.django_db
ENV = "transition-ecologique-et-energetique"


@pytest.fixture
def cases(db):
    water = UseCaseFactory(published=True, title="Détecter les fuites d’eau")
    bus = UseCaseFactory(
        published=True, title="Prévoir la fréquentation des bus", theme=theme("mobilites")
    )
    UseCaseFactory(status="submitted", title="Brouillon caché")
    return water, bus


def test_embed_lists_the_matching_cases_with_links_and_credit(client, cases, settings):
    settings.SITE_URL = "https://bibliotheque.example.org"
    water, _bus = cases
    response = client.get(reverse("widget:embed"), {"theme": ENV, "tri": "titre", "page": "3"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Détecter les fuites d’eau" in page and "bus" not in page and "Brouillon" not in page
    assert f'href="https://bibliotheque.example.org{water.get_absolute_url()}"' in page
    assert "Cas d’usage de l’IA : Transition écologique et énergétique" in page
    assert 'href="https://bibliotheque.example.org/"' in page and "Licence Ouverte" in page
    assert f'href="https://bibliotheque.example.org/cas-d-usage/?theme={ENV}"' in page


def test_embed_is_small_script_free_and_sets_no_cookie(cases):
    for n in range(12):
        UseCaseFactory(published=True, title=f"Un cas d’usage au titre assez long numéro {n} " * 2)
    client = Client()
    response = client.get(reverse("widget:embed"))
    assert len(response.content) <= 10_000
    assert "<script" not in response.content.decode()
    assert not response.cookies and "Set-Cookie" not in response.headers
    assert response.content.decode().count("<li>") == 10


def test_only_the_widget_may_be_framed(client, cases):
    embed = client.get(reverse("widget:embed"))
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "script-src 'self'" in embed["Content-Security-Policy"]
    for url in (reverse("widget:builder"), reverse("usecases:list"), cases[0].get_absolute_url()):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_invalid_criteria_answer_400(client, db):
    assert client.get(reverse("widget:embed"), {"theme": "inconnu"}).status_code == 400
    assert client.get(reverse("widget:builder"), {"theme": "inconnu"}).status_code == 400


def test_builder_gives_the_iframe_and_the_matching_feed(client, cases, settings):
    settings.SITE_URL = "https://bibliotheque.example.org"
    response = client.get(reverse("widget:builder"), {"theme": "mobilites"})
    page = response.content.decode()
    assert response.status_code == 200
    code = re.search(r'<textarea id="code-iframe"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert html.unescape(code) == (
        '<iframe src="https://bibliotheque.example.org/integrer/liste/?theme=mobilites" '
        'title="Cas d’usage de l’IA : Mobilités — Bibliothèque d’IA territoriales" '
        'width="600" height="480"></iframe>'
    )
    assert 'href="https://bibliotheque.example.org/flux.xml?theme=mobilites"' in page
    # The preview frames the same page, which the builder's own policy allows.
    assert (
        '<iframe src="/integrer/liste/?theme=mobilites" title="Cas d’usage de l’IA : Mobilités'
        in page
    )
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    feed = client.get("/flux.xml", {"theme": "mobilites"}).content.decode()
    assert "Prévoir la fréquentation des bus" in feed and "fuites" not in feed


def test_list_links_to_the_builder_with_its_criteria(client, cases):
    page = client.get(reverse("usecases:list"), {"q": "eau", "page": "1"}).content.decode()
    assert f'href="{reverse("widget:builder")}?q=eau"' in page


def test_embed_queries_are_bounded(client, cases, django_assert_max_num_queries):
    # The catalogue engine's index (version and reference choices), the theme's name, the cases.
    with django_assert_max_num_queries(5):
        client.get(reverse("widget:embed"), {"theme": ENV})
