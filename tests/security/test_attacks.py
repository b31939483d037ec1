"""Attack cases of standards.md §4.4 on what exists today: catalogue, search, filters, admin."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CollectiviteFactory, UseCaseFactory, UserFactory
from usecases.models import UseCase

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
PASSWORD = "mot-de-passe-solide-42"  # The one UserFactory sets.


def list_url(**params):
    return reverse("usecases:list"), params


def assert_escaped(html):
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "onerror=alert(1)>" not in html


# Cross-site scripting and template injection


@pytest.fixture
def hostile_case():
    """A published case whose every text field carries a payload."""
    return UseCaseFactory(
        published=True,
        title=f"Titre {SCRIPT}",
        slug="titre-hostile",
        summary=f"Résumé {IMG} {TEMPLATE}",
        need=f"Besoin {SCRIPT}\n\n{IMG}",
        solution=f"Solution {TEMPLATE}",
        data_used=f"Données {IMG}",
        results=f"Résultats {SCRIPT}",
        vendor=f"Éditeur {IMG}",
        collectivite=CollectiviteFactory(name=f"Commune {SCRIPT}"),
    )


def test_use_case_fields_are_escaped_on_the_list(client, hostile_case):
    html = client.get(reverse("usecases:list")).content.decode()
    assert_escaped(html)
    assert "Titre &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert TEMPLATE in html  # Printed as typed, never evaluated.


def test_use_case_fields_are_escaped_on_the_sheet(client, hostile_case):
    html = client.get(hostile_case.get_absolute_url()).content.decode()
    assert_escaped(html)
    assert "Besoin &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Commune &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f"Solution {TEMPLATE}" in html


def test_use_case_fields_are_escaped_on_home_theme_and_collectivite_pages(client, hostile_case):
    for url in (
        reverse("home"),
        hostile_case.theme.get_absolute_url(),
        hostile_case.collectivite.get_absolute_url(),
        reverse("collectivites:list"),
    ):
        assert_escaped(client.get(url).content.decode())


@pytest.mark.parametrize("payload", [SCRIPT, IMG, TEMPLATE])
def test_search_query_is_echoed_escaped(client, payload):
    """The search box and the result title repeat `q` escaped, on every page with the box."""
    # Fixed names: factory sequence numbers ("Commune 1849") would contain "49" by chance.
    UseCaseFactory(
        published=True,
        title="Prévoir les crues",
        collectivite=CollectiviteFactory(name="Rennes", code="35238"),
    )
    for url in (reverse("usecases:list"), reverse("home"), reverse("collectivites:list")):
        response = client.get(url, {"q": payload})
        assert response.status_code == 200
        html = response.content.decode()
        assert_escaped(html)
        if payload == TEMPLATE:
            # Printed as typed, never evaluated: no « 49 » more than the same page searching
            # for harmless text of the same shape has (labels such as « 3 499 habitants »).
            baseline = client.get(url, {"q": "{{7+7}}"}).content.decode()
            assert TEMPLATE in html
            assert html.count("49") == baseline.count("49")
            # The rest of the page is the same, the query string's encoding of * and + apart.
            assert html.replace(TEMPLATE, "{{7+7}}").replace("%2A", "%2B") == baseline


@pytest.mark.parametrize("name", ["stade", "theme", "region", "hebergement", "mot_cle", "annee"])
def test_hostile_filter_values_are_rejected_and_escaped(client, name):
    """A payload in a filter is a 400 with the French error, shown escaped."""
    response = client.get(reverse("usecases:list"), {name: SCRIPT})
    assert response.status_code == 400
    assert_escaped(response.content.decode())


# SQL-looking input


@pytest.mark.parametrize(
    "query", ["' OR 1=1--", "1; DROP TABLE usecases_usecase", "%' OR '%'='", "\\'; --"]
)
def test_sql_like_search_is_plain_text(client, query):
    """SQL in `q` is searched as words: 200, nothing leaks, nothing dropped."""
    UseCaseFactory.create_batch(2, published=True)
    response = client.get(reverse("usecases:list"), {"q": query})
    assert response.status_code == 200
    assert UseCase.objects.count() == 2
    assert response.context["page_obj"].paginator.count == 0


def test_nul_byte_in_the_search_is_refused(client):
    """A NUL byte cannot reach the database (PostgreSQL rejects it in text): a 400."""
    UseCaseFactory.create_batch(2, published=True)
    response = client.get(reverse("usecases:list"), {"q": "\x00"})
    assert response.status_code == 400
    assert UseCase.objects.count() == 2


@pytest.mark.parametrize(
    "params",
    [
        {"tri": "title; DROP TABLE usecases_usecase"},
        {"tri": "-collectivite__name"},
        {"tri": "password"},
        {"stade": "' OR '1'='1"},
        {"region": "53' OR 1=1--"},
        {"departement": "35 UNION SELECT password FROM auth_user"},
        {"annee": "2024 OR 1=1"},
        {"theme": "mobilites'--"},
    ],
)
def test_sql_like_sort_and_filters_are_refused(client, params):
    """Sort and filters go through allowlists: anything else is a 400, never a 500."""
    UseCaseFactory(published=True)
    response = client.get(reverse("usecases:list"), params)
    assert response.status_code == 400
    assert UseCase.objects.count() == 1


def test_unknown_ordering_parameter_is_ignored(client):
    """`?ordering=-author__password` is not a parameter of the catalogue: no effect."""
    UseCaseFactory.create_batch(2, published=True)
    response = client.get(reverse("usecases:list"), {"ordering": "-author__password"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 2


# Host header


@pytest.mark.parametrize("host", ["evil.example", "testserver.evil.example", "a b", "127.0.0.1@x"])
def test_unknown_host_gets_french_400(client, host):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Requête invalide" in html
    assert "evil.example" not in html and "Traceback" not in html


# Pagination and oversized requests


@pytest.mark.parametrize("page", [str(10**30), "-1", "1e9", "1 OR 1=1", "last"])
def test_absurd_page_numbers_give_french_404(client, page):
    UseCaseFactory(published=True)
    response = client.get(reverse("usecases:list"), {"page": page})
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_absurd_page_on_collectivites_gives_french_404(client):
    response = client.get(reverse("collectivites:list"), {"page": str(10**30)})
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html


def test_very_long_search_gives_400_not_500(client):
    """A 100 000-character query is refused by the form, not by the database."""
    response = client.get(reverse("usecases:list"), {"q": "é" * 100_000})
    assert response.status_code == 400
    response = client.get(reverse("collectivites:list"), {"q": "x" * 100_000})
    assert response.status_code == 400


def test_thousands_of_parameters_give_400(client):
    """More query fields than DATA_UPLOAD_MAX_NUMBER_FIELDS is a 400 (TooManyFieldsSent)."""
    query = "&".join(f"stade=experiment{n}" for n in range(1500))
    response = client.get(f"{reverse('usecases:list')}?{query}")
    assert response.status_code == 400


def test_many_repeated_valid_filters_stay_fast_and_bounded(client, django_assert_max_num_queries):
    """500 repetitions of one valid value do not multiply the queries."""
    UseCaseFactory(published=True)
    query = "&".join("stade=experiment" for _ in range(500))
    with django_assert_max_num_queries(15):
        response = client.get(f"{reverse('usecases:list')}?{query}")
    assert response.status_code == 200


# Open redirect after login

HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
]


def assert_on_site(location):
    """A redirect target that a browser resolves to this site (backslashes count as slashes)."""
    parts = urlsplit(location.replace("\\", "/"))
    assert parts.netloc in ("", "testserver"), location
    assert parts.scheme in ("", "http", "https"), location
    assert parts.path.startswith("/"), location


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_admin_login_never_leaves_the_site(client, target):
    """/admin/login/?next=… hands over to the site's login page, never to another host."""
    response = client.get(reverse("admin:login"), {"next": target}, follow=True)
    assert response.status_code == 200
    for location, _status in response.redirect_chain:
        assert_on_site(location)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_with_a_hostile_next_redirects_on_site(client, target):
    UserFactory(username="agent@example.org")
    response = client.post(
        f"{reverse('account_login')}?next={target}",
        {"login": "agent@example.org", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert_on_site(response["Location"])
    assert "evil" not in urlsplit(response["Location"].replace("\\", "/")).netloc


# CSRF


def csrf_token_of(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_login_without_csrf_token_is_refused():
    """A cross-site POST without token is a 403 with no details; with the token it works."""
    UserFactory(username="agent@example.org")
    client = Client(enforce_csrf_checks=True)
    credentials = {"login": "agent@example.org", "password": PASSWORD}
    refused = client.post(reverse("account_login"), credentials)
    assert refused.status_code == 403
    assert "Traceback" not in refused.content.decode()
    assert not refused.cookies.get("__Host-sessionid")

    token = csrf_token_of(client.get(reverse("account_login")).content.decode())
    accepted = client.post(reverse("account_login"), {**credentials, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302


def test_csrf_token_not_matching_the_cookie_is_refused():
    UserFactory(username="agent@example.org")
    client = Client(enforce_csrf_checks=True)
    token = csrf_token_of(client.get(reverse("account_login")).content.decode())
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = client.post(
        reverse("account_login"),
        {"login": "agent@example.org", "password": PASSWORD, "csrfmiddlewaretoken": forged},
    )
    assert response.status_code == 403


# Exposure of internals


@pytest.mark.parametrize(
    "path", ["/.git/HEAD", "/.env", "/static/../bibliotheque/settings.py", "/__debug__/"]
)
def test_private_files_are_not_served(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.content


def test_trace_is_not_allowed(client):
    """Django views answer TRACE like any unknown method: never an echo of the request."""
    response = client.generic("TRACE", reverse("home"), HTTP_COOKIE="__Host-sessionid=secret")
    assert b"secret" not in response.content
