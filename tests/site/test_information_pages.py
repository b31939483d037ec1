"""The legal and information pages: content the law requires, publisher details from settings."""

import json

import pytest
from django.urls import reverse

from bibliotheque import pages

pytestmark = pytest.mark.django_db

INFORMATION_PAGES = [
    ("accessibility", "Déclaration d’accessibilité"),
    ("legal_notice", "Mentions légales"),
    ("privacy", "Données personnelles"),
    ("site_map", "Plan du site"),
    ("about", "À propos de la Bibliothèque d’IA territoriales"),
    ("ecodesign", "Déclaration d’écoconception"),
    ("statistics", "Statistiques du catalogue"),
    ("contact", "Contact"),
]
TODO = "à compléter par l’exploitant"


@pytest.fixture
def no_publisher(settings):
    for name in (
        "SITE_PUBLISHER",
        "SITE_PUBLISHER_ADDRESS",
        "SITE_PUBLICATION_DIRECTOR",
        "SITE_CONTACT_EMAIL",
        "SITE_HOST_NAME",
        "SITE_HOST_ADDRESS",
    ):
        setattr(settings, name, "")


@pytest.fixture
def publisher(settings):
    settings.SITE_PUBLISHER = "Association Exemple"
    settings.SITE_PUBLISHER_ADDRESS = "1 rue de l’Exemple, 35000 Rennes – 01 02 03 04 05"
    settings.SITE_PUBLICATION_DIRECTOR = "Camille Exemple, présidente"
    settings.SITE_CONTACT_EMAIL = "contact@example.org"
    settings.SITE_HOST_NAME = "Hébergeur Exemple SAS"
    settings.SITE_HOST_ADDRESS = "2 avenue de l’Hébergement, 59000 Lille – 09 08 07 06 05"


@pytest.mark.parametrize(("url_name", "heading"), INFORMATION_PAGES)
def test_information_page_renders_with_its_title(client, url_name, heading):
    """Each page answers 200 with its own <h1> and a title naming it."""
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"<h1>{heading}</h1>" in content
    assert "<title>" in content and heading.split(" ")[0] in content.split("<title>")[1]


def test_footer_links_every_information_page_and_the_accessibility_status(client):
    """The footer of every page links the legal pages and says « Accessibilité : non conforme »."""
    content = client.get(reverse("home")).content.decode()
    footer = content[content.index('<footer class="site-footer">') :]
    for name in ("accessibility", "legal_notice", "privacy", "site_map", "about", "ecodesign"):
        assert f'href="{reverse(name)}"' in footer
    assert f'<a href="{reverse("accessibility")}">Accessibilité : non conforme</a>' in footer


def test_accessibility_declaration_follows_the_official_model(client, publisher):
    """Status, RGAA version, tests, contact, recourse, multi-year and yearly plans are present."""
    content = client.get(reverse("accessibility")).content.decode()
    for needle in (
        "article 47 de la loi n° 2005-102",
        "<strong>non conforme</strong>",
        "RGAA), version 4.1.2",
        "Résultats des tests",
        "Contenus non accessibles",
        "Dérogations pour charge disproportionnée",
        "Environnement de test",
        "Pages du site ayant fait l’objet de la vérification",
        "Retour d’information et contact",
        "mailto:contact@example.org",
        "Voies de recours",
        "Défenseur des droits",
        "Libre réponse 71120",
        'id="schema"',
        'id="plan"',
    ):
        assert needle in content, needle


def test_legal_notice_shows_the_configured_publisher_and_host(client, publisher):
    content = client.get(reverse("legal_notice")).content.decode()
    for value in (
        "Association Exemple",
        "1 rue de l’Exemple, 35000 Rennes – 01 02 03 04 05",
        "Camille Exemple, présidente",
        "Hébergeur Exemple SAS",
        "2 avenue de l’Hébergement, 59000 Lille – 09 08 07 06 05",
        "mailto:contact@example.org",
    ):
        assert value in content
    assert TODO not in content


def test_todo_placeholder_is_followed_directly_by_its_full_stop(client, no_publisher):
    """No space slips in between « à compléter par l’exploitant » and the sentence's full stop."""
    content = client.get(reverse("legal_notice")).content.decode()
    assert f"{TODO}</em>." in content
    assert f"{TODO}</em> ." not in content and f"{TODO}</em>\n." not in content


def test_contact_page_is_built_from_the_publisher_settings(client, publisher):
    content = client.get(reverse("contact")).content.decode()
    for value in ("Association Exemple", "mailto:contact@example.org", "1 rue de l’Exemple"):
        assert value in content
    assert TODO not in content


def test_contact_page_never_invents_missing_details(client, no_publisher):
    content = client.get(reverse("contact")).content.decode()
    assert content.count(TODO) == 3
    assert "mailto:" not in content


def test_main_navigation_offers_the_statistics(client):
    content = client.get(reverse("home")).content.decode()
    nav = content[content.index('aria-label="Navigation principale"') :]
    nav = nav[: nav.index("</nav>")]
    assert f'href="{reverse("statistics")}"' in nav
    current = client.get(reverse("statistics")).content.decode()
    assert f'<a href="{reverse("statistics")}" aria-current="page">Statistiques</a>' in current


def test_statistics_say_what_the_figures_cover(client):
    content = client.get(reverse("statistics")).content.decode()
    assert "déclarés par les collectivités" in content
    assert "ne mesurent pas l’usage de l’IA dans l’ensemble des collectivités" in content


def test_legal_notice_never_invents_missing_details(client, no_publisher):
    """Without configuration, every detail says « à compléter par l’exploitant »."""
    content = client.get(reverse("legal_notice")).content.decode()
    # Publisher, address, contact, director, host, host address.
    assert content.count(TODO) == 6
    for word in ("Éditeur", "Directeur ou directrice de la publication", "Hébergement"):
        assert word in content


def test_privacy_page_lists_data_purposes_retention_rights_and_cookies(client, publisher):
    content = client.get(reverse("privacy")).content.decode()
    for needle in (
        "Nom et prénom",
        "Adresse électronique professionnelle",
        "Collectivité de rattachement",
        "Empreinte du mot de passe",
        "Adresse IP",
        "Cookies de session",
        "Durée de conservation",
        "14 jours",
        "article 15",
        "article 16",
        "article 17",
        "article 18",
        "article 20",
        "article 21",
        "CNIL",
        "mailto:contact@example.org",
        "Sous-traitants",
        "bandeau",
    ):
        assert needle in content, needle


def test_about_page_presents_the_commons_and_the_four_axes(client):
    content = client.get(reverse("about")).content.decode()
    for needle in (
        "commun numérique",
        "Les Interconnectés",
        "Banque des Territoires",
        "Ecolab",
        "Une IA sociale",
        "Une IA ouverte et démocratique",
        "Une IA utile et proportionnée",
        "Une IA territoriale",
    ):
        assert needle in content


def test_site_map_links_every_theme_and_page(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        content = client.get(reverse("site_map")).content.decode()
    assert content.count('href="/themes/') == 6
    for name in (
        "statistics",
        "accessibility",
        "legal_notice",
        "privacy",
        "about",
        "ecodesign",
        "contact",
        "usecases:contribute",
        "usecases:my_contributions",
        "account_signup",
        "account_login",
        "account_reset_password",
        "account_email",
        "account_change_password",
        "mfa_index",
        "alerts:subscribe",
        "alerts:mine",
        "accounts:delete_account",
        "widget:builder",
    ):
        assert f'href="{reverse(name)}"' in content


def test_ecodesign_page_shows_the_measured_figures(client, tmp_path, monkeypatch):
    """The page reads the report written by bin/measure-pages.py."""
    report = {
        "measured_on": "25 novembre 2026",
        "tool": "Chromium 156",
        "dataset": "45 cas d’usage",
        "server": "Serveur de test.",
        "pages": [
            {
                "name": "Accueil",
                "path": "/",
                "grade": "A",
                "score": 91,
                "dom": 120,
                "requests": 3,
                "size_kb": 9.87,
            }
        ],
    }
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    monkeypatch.setattr(pages, "ECODESIGN_REPORT", path)
    content = client.get(reverse("ecodesign")).content.decode()
    assert '<th scope="row">Accueil</th><td>A</td><td>91</td><td>120</td><td>3</td>' in content
    assert "9,9" in content


def test_ecodesign_page_without_report_says_so(client, tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "ECODESIGN_REPORT", tmp_path / "missing.json")
    content = client.get(reverse("ecodesign")).content.decode()
    assert "Aucune mesure n’a encore été publiée." in content


def test_shipped_ecodesign_report_is_valid():
    """The committed report has every page graded, with the fields the page displays."""
    report = pages.load_ecodesign_report()
    assert report is not None, "bibliotheque/ecoconception.json is missing: run make ecoindex"
    assert report["pages"]
    for row in report["pages"]:
        assert {"name", "path", "grade", "score", "dom", "requests", "size_kb"} <= row.keys()
