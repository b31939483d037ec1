"""Security headers on every response: CSP, HSTS, cookies, referrer and permissions policies."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from tests.factories import UseCaseFactory, UserFactory
from widget.views import FRAMABLE

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide-42"  # The one UserFactory sets.


@pytest.fixture
def use_case():
    return UseCaseFactory(published=True, tags=["eau"])


def public_urls(use_case):
    return [
        reverse("home"),
        reverse("usecases:list"),
        reverse("usecases:list") + "?q=eau&stade=experiment&tri=titre",
        reverse("usecases:detail", kwargs={"slug": use_case.slug}),
        use_case.theme.get_absolute_url(),
        reverse("collectivites:list"),
        use_case.collectivite.get_absolute_url(),
        "/page-qui-n-existe-pas/",
        reverse("usecases:list") + "?stade=inconnu",
        reverse("admin:login"),
        reverse("account_login"),
        reverse("health"),
    ]


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_every_page_has_a_strict_content_security_policy(client, use_case):
    """CSP: default-src, frame-ancestors, base-uri and object-src 'none'; nothing unsafe."""
    for url in public_urls(use_case):
        response = client.get(url)
        header = response["Content-Security-Policy"]
        directives = csp_directives(response)
        assert directives["default-src"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert directives["base-uri"] == ["'none'"], url
        assert directives["object-src"] == ["'none'"], url
        assert directives["script-src"][0] == "'self'", url
        assert directives["style-src"] == ["'self'"], url
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, url
        assert "*" not in header, url


def test_every_page_has_the_other_security_headers(client, use_case):
    """nosniff, Referrer-Policy, COOP, X-Frame-Options and Permissions-Policy everywhere."""
    for url in public_urls(use_case):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
            assert feature in policy, url


def test_hsts_is_sent_over_https_with_production_settings(client, settings):
    """One year, subdomains included, preload; never over plain HTTP."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/")


def test_plain_http_is_redirected_to_https_except_the_health_probe(client, settings):
    """Production redirects HTTP to HTTPS; /sante/ answers probes that speak plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/cas-d-usage/?q=eau")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/cas-d-usage/?q=eau"
    assert client.get(reverse("health")).status_code == 200


def test_csrf_cookie_is_host_only_secure_httponly_and_lax(client):
    """The login page sets the CSRF cookie with every protective attribute."""
    response = client.get(reverse("account_login"), secure=True)
    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]


def test_session_cookie_is_host_only_secure_httponly_and_lax(client):
    """After logging in, the session cookie is __Host-, Secure, HttpOnly and SameSite=Lax."""
    UserFactory(username="agent@example.org")
    response = client.post(
        reverse("account_login"),
        {"login": "agent@example.org", "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]


def test_rendered_pages_have_no_inline_style_or_unnonced_script(client, use_case):
    """What the browser receives would pass the CSP: no style attribute, no bare inline script."""
    for url in public_urls(use_case):
        response = client.get(url)
        html = response.content.decode()
        assert not re.search(r"<[^>]+\sstyle\s*=", html), url
        assert "<style" not in html, url
        policy = response["Content-Security-Policy"]
        for tag in re.findall(r"<script\b[^>]*>", html):
            if re.search(r"\ssrc=", tag):
                continue
            # An inline script runs only with this response's nonce, the one in the header.
            nonce = re.search(r'\snonce="([^"]+)"', tag)
            assert nonce is not None, (url, tag)
            assert f"'nonce-{nonce.group(1)}'" in policy, (url, tag)


def parameterless_urls(resolver=None, namespace=""):
    """Every named URL of the site that takes no argument, e.g. ["home", "usecases:list"]."""
    from django.urls import URLPattern, URLResolver, get_resolver

    resolver = resolver or get_resolver()
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if inner.startswith("admin:"):
                continue  # The admin is covered through its login page above.
            names += parameterless_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
            names.append(namespace + entry.name)
    return sorted(set(names))


def test_every_parameterless_url_sends_the_security_headers(client, use_case):
    """Each named route, whatever it answers (200, 302, 405…), carries the headers."""
    names = parameterless_urls()
    assert "home" in names and "health" in names
    for name in names:
        try:
            url = reverse(name)
        except NoReverseMatch:  # A route whose arguments are all optional.
            continue
        response = client.get(url)
        directives = csp_directives(response)
        assert directives["default-src"] == ["'none'"], name
        # Only the embeddable widget may be framed by other sites.
        assert directives["frame-ancestors"] == (["*"] if name in FRAMABLE else ["'none'"]), name
        assert ("X-Frame-Options" in response.headers) is (name not in FRAMABLE), name
        assert "unsafe-inline" not in response["Content-Security-Policy"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert "camera=()" in response["Permissions-Policy"], name
