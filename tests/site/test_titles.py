"""Page titles name the page and its state (RGAA 8.6): filters, search and page number."""

import re

import pytest

from tests.factories import UseCaseFactory, theme

pytestmark = pytest.mark.django_db


def title(client, url, params=None):
    content = client.get(url, params).content.decode()
    return re.search(r"<title>(.*?)</title>", content, re.S).group(1)


def test_list_title_names_the_chosen_filters(client):
    UseCaseFactory.create_batch(21, published=True, theme=theme("mobilites"))
    assert title(client, "/cas-d-usage/").startswith("Cas d’usage — ")
    assert title(client, "/cas-d-usage/", {"theme": "mobilites", "stade": "experiment"}).startswith(
        "Cas d’usage : Mobilités, Expérimentation — "
    )
    assert title(client, "/cas-d-usage/", {"page": 2}).startswith("Cas d’usage (page 2) — ")


def test_theme_title_names_the_chosen_filters(client):
    UseCaseFactory(published=True, theme=theme("mobilites"))
    assert title(client, "/themes/mobilites/", {"stade": "experiment"}).startswith(
        "Mobilités : Expérimentation — "
    )
