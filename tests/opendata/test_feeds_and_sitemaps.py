import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CollectiviteFactory, UseCaseFactory, theme
from usecases.choices import Status

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    return feed.findall(f"{ATOM}entry")


def locations(response):
    assert response.status_code == 200
    return [element.text for element in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def test_feed_is_valid_atom_with_latest_published_first(client, rich_case):
    """Entries have id, title, link, dates, author and categories; newest first."""
    older = UseCaseFactory(published=True, title="Un projet plus ancien")
    older.published_at = timezone.now() - timedelta(days=3)
    older.save()
    UseCaseFactory(status=Status.DRAFT, title="Brouillon secret")
    entries = atom_entries(client.get("/flux.xml"))
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Détecter les fuites du réseau d’eau potable",
        "Un projet plus ancien",
    ]
    first = entries[0]
    for required in ("id", "updated", "published", "summary"):
        assert first.find(f"{ATOM}{required}") is not None
    assert first.find(f"{ATOM}link").get("href") == (
        f"http://testserver/cas-d-usage/{rich_case.slug}/"
    )
    assert first.find(f"{ATOM}author/{ATOM}name").text == rich_case.collectivite.name
    categories = {category.get("term") for category in first.findall(f"{ATOM}category")}
    assert categories == {"Transition écologique et énergétique", "eau potable", "réseaux"}


def test_feed_is_limited_to_fifty_entries(client):
    UseCaseFactory.create_batch(52, published=True)
    assert len(atom_entries(client.get("/flux.xml"))) == 50


def test_feed_honours_the_list_filters(client):
    UseCaseFactory(published=True, stage="idea", title="Une idée")
    UseCaseFactory(published=True, stage="deployment", title="Un déploiement")
    entries = atom_entries(client.get("/flux.xml", {"stade": "idea"}))
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Une idée"]


def test_feed_with_invalid_filters_gives_400(client):
    response = client.get("/flux.xml", {"stade": "inconnu"})
    assert response.status_code == 400
    assert "stade" in response.content.decode()


def test_theme_feed_lists_the_theme_only(client):
    UseCaseFactory(published=True, theme=theme("mobilites"), title="Compter les vélos")
    UseCaseFactory(published=True, title="Détecter les fuites")
    entries = atom_entries(client.get("/themes/mobilites/flux.xml"))
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Compter les vélos"]
    assert client.get("/themes/inconnu/flux.xml").status_code == 404


def test_sitemap_index_lists_the_sections(client):
    sections = locations(client.get("/sitemap.xml"))
    assert sections == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-themes.xml",
        "http://testserver/sitemap-cas-d-usage.xml",
        "http://testserver/sitemap-collectivites.xml",
    ]


def test_sitemap_lists_published_sheets_only(client):
    """Published sheets are listed; drafts and archived cases are not."""
    published = UseCaseFactory(published=True)
    draft = UseCaseFactory(status=Status.DRAFT)
    archived = UseCaseFactory(status=Status.ARCHIVED, published_at=timezone.now())
    urls = locations(client.get("/sitemap-cas-d-usage.xml"))
    assert urls == [f"http://testserver{published.get_absolute_url()}"]
    assert f"http://testserver{draft.get_absolute_url()}" not in urls
    assert f"http://testserver{archived.get_absolute_url()}" not in urls


def test_sitemap_pages_themes_and_collectivites(client):
    """Home, list and open-data pages, the six themes, collectivités with published cases."""
    lead = CollectiviteFactory()
    partner = CollectiviteFactory()
    CollectiviteFactory(name="Sans cas publié")
    hidden = CollectiviteFactory(name="Seulement un brouillon")
    UseCaseFactory(published=True, collectivite=lead).partners.set([partner])
    UseCaseFactory(status=Status.DRAFT, collectivite=hidden)
    pages = locations(client.get("/sitemap-pages.xml"))
    assert "http://testserver/" in pages
    assert "http://testserver/cas-d-usage/" in pages
    assert "http://testserver/donnees/" in pages
    assert len(locations(client.get("/sitemap-themes.xml"))) == 6
    assert sorted(locations(client.get("/sitemap-collectivites.xml"))) == sorted(
        f"http://testserver{c.get_absolute_url()}" for c in (lead, partner)
    )


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /compte/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_index_gives_the_latest_modification_of_the_cases(client):
    """Crawlers learn when the cases section last changed (one aggregate, not every item)."""
    UseCaseFactory.create_batch(3, published=True)
    latest = UseCaseFactory(published=True)
    UseCaseFactory(status=Status.DRAFT)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    [section] = [
        sitemap
        for sitemap in index.findall(f"{SITEMAP}sitemap")
        if sitemap.findtext(f"{SITEMAP}loc").endswith("/sitemap-cas-d-usage.xml")
    ]
    lastmod = section.findtext(f"{SITEMAP}lastmod")
    assert lastmod == timezone.localtime(latest.updated_at).isoformat()
