"""Rate limits behind the reverse proxy and under load (docs/securite.md).

The proxy is played by the test client: nginx's `$proxy_add_x_forwarded_for` appends the
address it saw, so a client that forges the header arrives as "<forged>, <client>" and
REMOTE_ADDR is the proxy's (127.0.0.1) for everyone.
"""

import time

import pytest
from django.core import signing
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.urls import reverse

from bibliotheque import limits
from bibliotheque.cache import CounterDatabaseCache
from bibliotheque.deployment import LIMITS_CACHE_TABLE
from tests.factories import UseCaseFactory, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
ALICE = "198.51.100.7"
BOB = "203.0.113.9"
PASSWORD = "mot-de-passe-solide-42"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def behind_proxy(address, forged=None):
    """A test client whose requests come through the proxy from `address`."""
    header = f"{forged}, {address}" if forged else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def request_with(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# The client's address.


def test_without_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert limits.client_address(request_with(ALICE, forwarded=BOB)) == ALICE


def test_behind_one_proxy_the_address_it_saw_is_the_client():
    assert limits.client_address(request_with(PROXY, forwarded=ALICE)) == ALICE
    assert limits.client_address(request_with(PROXY, forwarded=f"{BOB}, {ALICE}")) == ALICE
    assert limits.client_address(request_with(PROXY, forwarded=f"x, 1.2.3.4,{ALICE}")) == ALICE


def test_behind_two_proxies_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_with(PROXY, forwarded=f"{BOB}, {ALICE}, 10.0.0.2")
    assert limits.client_address(request) == ALICE


def test_a_request_that_bypassed_the_proxy_or_forged_garbage_is_keyed_on_its_peer():
    assert limits.client_address(request_with(ALICE)) == ALICE
    assert limits.client_address(request_with(PROXY, forwarded="pas-une-adresse")) == PROXY
    assert limits.client_address(request_with("", forwarded="")) == "0.0.0.0"


def test_ipv6_clients_share_a_bucket_per_64():
    one = request_with(PROXY, forwarded="2001:db8:1:2:aaaa::1")
    other = request_with(PROXY, forwarded="2001:db8:1:2:bbbb::2")
    assert limits.client_network(one) == limits.client_network(other) == "2001:db8:1:2::"


def test_allauth_uses_the_same_address():
    from allauth.account.adapter import get_adapter

    request = request_with(PROXY, forwarded=f"{BOB}, {ALICE}")
    assert get_adapter().get_client_ip(request) == ALICE


# Finding 1: one attacker no longer locks everyone out of login.


def failed_logins(client, count):
    for number in range(count):
        client.post(
            reverse("account_login"),
            {"login": f"inconnu{number}@example.org", "password": "mauvais"},
        )


def test_failed_logins_of_one_client_do_not_lock_out_another():
    UserFactory(username="agente@example.org")
    attacker = behind_proxy(ALICE)
    failed_logins(attacker, 24)
    locked = attacker.post(
        reverse("account_login"), {"login": "autre@example.org", "password": "mauvais"}
    )
    assert "Trop de tentatives" in locked.content.decode()

    visitor = behind_proxy(BOB)
    response = visitor.post(
        reverse("account_login"), {"login": "agente@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in visitor.session


def test_a_forged_prefix_does_not_escape_the_login_limit():
    attacker = behind_proxy(ALICE)
    for number in range(24):
        attacker = behind_proxy(ALICE, forged=f"10.9.{number}.1")
        attacker.post(
            reverse("account_login"),
            {"login": f"inconnu{number}@example.org", "password": "mauvais"},
        )
    response = behind_proxy(ALICE, forged="10.99.99.99").post(
        reverse("account_login"), {"login": "autre@example.org", "password": "mauvais"}
    )
    assert "Trop de tentatives" in response.content.decode()


# Finding 2: the API throttle holds whatever the forged prefix.


def test_api_throttle_ignores_forged_prefixes(throttle_rate):
    throttle_rate("40/hour")
    statuses = [
        behind_proxy(ALICE, forged=f"10.0.{number}.1").get("/api/v1/themes/").status_code
        for number in range(60)
    ]
    assert statuses.count(200) == 40
    assert statuses.count(429) == 20
    assert behind_proxy(BOB).get("/api/v1/themes/").status_code == 200


@pytest.fixture
def throttle_rate(settings):
    def set_rate(rate):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": rate},
        }

    return set_rate


# Finding 3: « Signaler une erreur » has one bucket per client; invalid posts do not count.


def report(client, use_case, message="Le budget indiqué est celui de 2023, pas de 2024."):
    url = reverse("usecases:report", args=[use_case.slug])
    started = signing.dumps(time.time() - 10)
    return client.post(url, {"message": message, "email": "", "started": started})


def test_error_reports_are_limited_per_client(settings):
    use_case = UseCaseFactory(published=True)
    alice = behind_proxy(ALICE)
    for _ in range(12):
        assert report(alice, use_case, message="").status_code == 400
    statuses = [report(alice, use_case).status_code for _ in range(settings.ERROR_REPORTS_PER_HOUR)]
    assert statuses == [302] * settings.ERROR_REPORTS_PER_HOUR
    assert report(alice, use_case).status_code == 429
    assert report(behind_proxy(ALICE, forged="10.1.1.1"), use_case).status_code == 429
    assert report(behind_proxy(BOB), use_case).status_code == 302


# Finding 4: page traffic does not evict the counters, which every worker shares.


def test_a_burst_of_distinct_pages_does_not_reset_the_login_limit(settings):
    settings.PAGE_CACHE_SECONDS = 300
    # An hour-long window: the burst takes longer than allauth's default minute on a slow machine.
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/1h/ip,5/1h/key"}
    UseCaseFactory(published=True)
    attacker = behind_proxy(ALICE)
    failed_logins(attacker, 11)
    for number in range(320):
        assert Client().get("/", {"evict": number}).status_code == 200
    response = attacker.post(
        reverse("account_login"), {"login": "encore@example.org", "password": "mauvais"}
    )
    assert "Trop de tentatives" in response.content.decode()


def test_page_cache_and_counters_are_apart(settings):
    assert settings.CACHES["default"]["BACKEND"] != settings.CACHES["pages"]["BACKEND"] or (
        settings.CACHES["default"]["KEY_PREFIX"] != settings.CACHES["pages"]["KEY_PREFIX"]
    )


def test_two_cache_clients_count_in_the_same_store():
    """Two clients of the store, as two workers hold: they see and raise the same counter."""
    first = CounterDatabaseCache(LIMITS_CACHE_TABLE, {})
    second = CounterDatabaseCache(LIMITS_CACHE_TABLE, {})
    assert first.add("compteur", 1, 60)
    assert not second.add("compteur", 1, 60)
    assert second.incr("compteur") == 2
    assert first.incr("compteur", 3) == 5
    assert second.get("compteur") == 5
    with pytest.raises(ValueError):
        first.incr("absent")


def test_limits_count_across_requests_in_the_shared_cache():
    request = request_with(PROXY, forwarded=ALICE)
    results = [limits.exceeded(request, "essai", "3/h") for _ in range(5)]
    assert results == [False, False, False, True, True]
    assert not limits.exceeded(request_with(PROXY, forwarded=BOB), "essai", "3/h")
    assert not limits.exceeded(request, "autre-essai", "3/h")
    assert limits.exceeded(request, "essai", "3/h", increment=False)
    assert caches["default"].__class__ is CounterDatabaseCache


def test_limits_by_key_are_independent_of_the_address():
    user = UserFactory()
    key = limits.user_key(user)
    assert not limits.exceeded(request_with(PROXY, forwarded=ALICE), "essai", "1/h", key=key)
    assert limits.exceeded(request_with(PROXY, forwarded=BOB), "essai", "1/h", key=key)
    assert not limits.exceeded(request_with(PROXY, forwarded=BOB), "essai", "1/h")
