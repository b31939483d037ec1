"""E-mail alerts: double opt-in, digests of newly published cases, one-click unsubscribe."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from alerts import services
from alerts.criteria import InvalidCriteria, canonical, describe
from alerts.models import Delivery, Subscription
from bibliotheque.typography import NBSP, NNBSP
from tests.factories import UseCaseFactory, UserFactory, theme

PARIS = ZoneInfo("Europe/Paris")
ENV = "transition-ecologique-et-energetique"


def at(*args):
    return datetime(*args, tzinfo=PARIS)


def link(message, name):
    """The absolute link of the e-mail that points to the URL named `name`."""
    prefix = reverse(name, kwargs={"key": "KEY"}).removesuffix("KEY/")
    match = re.search(rf"https?://[^\s]+{re.escape(prefix)}[\w-]+/", message.body)
    assert match, f"no {name} link in: {message.body}"
    return match.group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def confirmed(db):
    def make(criteria="", frequency="daily", when=None, email="lea@example.org"):
        when = when or at(2026, 11, 30, 10, 0)
        return Subscription.objects.create(
            email=email, criteria=criteria, frequency=frequency, created_at=when, confirmed_at=when
        )

    return make


class TestCriteria:
    def test_canonical_keeps_known_criteria_sorted_without_page_nor_sort(self, db):
        query = f"tri=titre&page=3&q=%20eau%20&theme={ENV}&inconnu=1&stade=idea&stade=experiment"
        assert canonical(query) == f"q=eau&stade=experiment&stade=idea&theme={ENV}"

    def test_invalid_criteria_are_refused(self, db):
        with pytest.raises(InvalidCriteria):
            canonical("theme=nexiste-pas")

    def test_describe_in_words(self, db):
        assert describe(f"q=eau&theme={ENV}") == [
            "Rechercher : « eau »",
            "Thème : Transition écologique et énergétique",
        ]


class TestSubscribe:
    def test_list_page_links_to_an_alert_for_its_criteria(self, client, db):
        response = client.get(reverse("usecases:list"), {"q": "eau", "page": "1", "tri": "titre"})
        assert f'href="{reverse("alerts:subscribe")}?q=eau"' in response.content.decode()

    def test_theme_page_links_to_an_alert_for_its_theme(self, client, db):
        response = client.get(reverse("usecases:theme", kwargs={"slug": ENV}))
        assert f'href="{reverse("alerts:subscribe")}?theme={ENV}"' in response.content.decode()

    def test_form_shows_the_criteria(self, client, db):
        response = client.get(reverse("alerts:subscribe"), {"q": "eau", "theme": ENV})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Rechercher : « eau »" in page
        assert f'value="q=eau&amp;theme={ENV}"' in page

    def test_invalid_criteria_answer_400(self, client, db):
        response = client.get(reverse("alerts:subscribe"), {"theme": "nexiste-pas"})
        assert response.status_code == 400
        assert "Ces critères ne sont pas valides" in response.content.decode()

    def test_subscribing_sends_a_confirmation_and_nothing_else(self, client, db):
        with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
            response = client.post(
                reverse("alerts:subscribe"),
                {
                    "email": " Lea@Example.org ",
                    "frequency": "daily",
                    "criteria": f"q=eau&theme={ENV}",
                },
            )
        assert response.status_code == 302
        assert response["Location"] == reverse("alerts:requested")
        subscription = Subscription.objects.get()
        assert (subscription.email, subscription.criteria, subscription.frequency) == (
            "lea@example.org",
            f"q=eau&theme={ENV}",
            "daily",
        )
        assert subscription.confirmed_at is None
        [message] = mail.outbox
        assert message.to == ["lea@example.org"]
        assert message.subject.endswith("Confirmez votre alerte sur les nouveaux cas d’usage")
        assert f"Rechercher{NBSP}: «{NNBSP}eau{NNBSP}»" in message.body
        assert path_of(link(message, "alerts:confirm")) == subscription.get_confirm_url()

    def test_bad_address_redisplays_the_form(self, client, db):
        response = client.post(
            reverse("alerts:subscribe"), {"email": "pas-une-adresse", "frequency": "daily"}
        )
        assert response.status_code == 400
        assert 'value="pas-une-adresse"' in response.content.decode()
        assert not Subscription.objects.exists() and not mail.outbox

    def test_the_answer_never_tells_whether_an_address_is_subscribed(self, client, confirmed):
        confirmed(criteria="q=eau")
        answers = [
            client.post(
                reverse("alerts:subscribe"),
                {"email": email, "frequency": "weekly", "criteria": "q=eau"},
            )
            for email in ("lea@example.org", "autre@example.org")
        ]
        assert [(a.status_code, a["Location"]) for a in answers] == [
            (302, reverse("alerts:requested"))
        ] * 2
        # The confirmed one receives nothing new; its frequency is unchanged.
        assert [m.to for m in mail.outbox] == [["autre@example.org"]]
        assert Subscription.objects.get(email="lea@example.org").frequency == "daily"

    def test_an_address_holds_a_bounded_number_of_alerts(self, db):
        for n in range(services.MAX_PER_ADDRESS):
            assert services.subscribe(
                email="lea@example.org", criteria=f"q=mot{n}", frequency="daily"
            )
        assert not services.subscribe(
            email="lea@example.org", criteria="q=deborde", frequency="daily"
        )
        assert Subscription.objects.count() == services.MAX_PER_ADDRESS


PROXY, ALICE, BOB = "127.0.0.1", "198.51.100.7", "203.0.113.9"


def behind_proxy(address, forged=None):
    """A client whose requests come through the reverse proxy from `address`."""
    header = f"{forged}, {address}" if forged else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def ask(client, email, criteria="q=eau"):
    return client.post(
        reverse("alerts:subscribe"), {"email": email, "frequency": "daily", "criteria": criteria}
    )


class TestLimits:
    """The form cannot be used to write to many addresses, nor many times to one address."""

    @pytest.fixture(autouse=True)
    def _behind_one_proxy(self, settings, db):
        settings.TRUSTED_PROXY_COUNT = 1
        settings.ALERT_REQUESTS_PER_HOUR = 4
        settings.ALERT_REQUESTS_PER_ADDRESS = 2

    def test_requests_are_limited_per_client_with_a_french_429(self):
        alice = behind_proxy(ALICE)
        for _ in range(3):  # invalid forms cost nothing
            assert ask(alice, "pas-une-adresse").status_code == 400
        statuses = [ask(alice, f"personne{n}@example.org").status_code for n in range(4)]
        assert statuses == [302] * 4
        response = ask(alice, "personne9@example.org")
        assert response.status_code == 429
        page = response.content.decode()
        assert "Trop de demandes d’alerte depuis votre connexion : réessayez plus tard." in page
        assert 'value="personne9@example.org"' in page
        # A forged X-Forwarded-For prefix is the same client; another client is not limited.
        assert ask(behind_proxy(ALICE, forged="10.1.1.1"), "x@example.org").status_code == 429
        assert ask(behind_proxy(BOB), "personne9@example.org").status_code == 302
        assert sorted(m.to[0] for m in mail.outbox) == [
            *(f"personne{n}@example.org" for n in range(4)),
            "personne9@example.org",
        ]

    def test_one_address_gets_few_e_mails_whoever_asks_and_the_answer_never_changes(self):
        answers = [
            ask(behind_proxy(address), "Lea@Example.org", criteria=f"q=mot{n}")
            for n, address in enumerate([ALICE, BOB, "192.0.2.1", "192.0.2.2"])
        ]
        assert [(a.status_code, a["Location"]) for a in answers] == [
            (302, reverse("alerts:requested"))
        ] * 4
        assert [m.to for m in mail.outbox] == [["lea@example.org"]] * 2
        assert Subscription.objects.count() == 2
        # Other addresses are not affected.
        assert ask(behind_proxy(ALICE), "autre@example.org").status_code == 302
        assert mail.outbox[-1].to == ["autre@example.org"]

    def test_a_day_later_the_address_may_ask_again(self):
        with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
            for n in range(3):
                ask(behind_proxy(ALICE), "lea@example.org", criteria=f"q=mot{n}")
        with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
            ask(behind_proxy(ALICE), "lea@example.org", criteria="q=velo")
        assert len(mail.outbox) == 3


class TestConfirm:
    def test_link_shows_a_button_then_confirms(self, client, db):
        services.subscribe(email="lea@example.org", criteria="q=eau", frequency="weekly")
        url = path_of(link(mail.outbox[0], "alerts:confirm"))
        response = client.get(url)
        assert response.status_code == 200
        assert Subscription.objects.get().confirmed_at is None  # a link checker confirms nothing
        response = client.post(url)
        subscription = Subscription.objects.get()
        assert subscription.confirmed_at is not None
        assert response["Location"] == f"{subscription.get_absolute_url()}?fait=confirmee"
        assert "Votre alerte est confirmée." in client.get(response["Location"]).content.decode()

    def test_link_expires_after_seven_days(self, client, db):
        with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
            services.subscribe(email="lea@example.org", criteria="q=eau", frequency="weekly")
        url = path_of(link(mail.outbox[0], "alerts:confirm"))
        with time_machine.travel(at(2026, 12, 8, 8, 59), tick=False):
            assert client.get(url).status_code == 200
        with time_machine.travel(at(2026, 12, 8, 9, 1), tick=False):
            assert client.get(url).status_code == 410
            assert client.post(url).status_code == 410
        assert Subscription.objects.get().confirmed_at is None

    def test_unknown_key_is_404(self, client, db):
        assert client.get(reverse("alerts:confirm", kwargs={"key": "x" * 43})).status_code == 404


class TestDigest:
    def test_daily_digest_lists_new_matching_cases_once(self, confirmed):
        subscription = confirmed(criteria=f"theme={ENV}", when=at(2026, 11, 30, 10, 0))
        UseCaseFactory(published=True, published_at=at(2026, 11, 30, 9, 0), title="Avant")
        match = UseCaseFactory(
            published=True, published_at=at(2026, 11, 30, 12, 0), title="Détecter les fuites"
        )
        UseCaseFactory(
            published=True,
            published_at=at(2026, 11, 30, 13, 0),
            theme=theme("mobilites"),
        )
        UseCaseFactory(status="submitted", title="Pas publié")

        for _run in range(2):  # the job run twice sends nothing twice
            with time_machine.travel(at(2026, 12, 1, 7, 0), tick=False):
                call_command("send_alert_digests", verbosity=0)

        [message] = mail.outbox
        assert message.to == ["lea@example.org"]
        assert "1 nouveau cas d’usage" in message.subject
        assert "Détecter les fuites" in message.body and "Avant" not in message.body
        assert f"/cas-d-usage/{match.slug}/" in message.body
        unsubscribe = link(message, "alerts:unsubscribe")
        assert path_of(unsubscribe) == subscription.get_unsubscribe_url()
        assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert path_of(link(message, "alerts:manage")) == subscription.get_absolute_url()
        delivery = Delivery.objects.get()
        assert (delivery.period, delivery.case_count) == ("2026-12-01", 1)
        assert delivery.window_start == at(2026, 11, 30, 10, 0)
        assert delivery.window_end == at(2026, 12, 1, 0, 0)

    def test_next_daily_digest_starts_where_the_last_ended(self, confirmed):
        confirmed(when=at(2026, 11, 30, 10, 0))
        UseCaseFactory(published=True, published_at=at(2026, 11, 30, 23, 59), title="Lundi")
        UseCaseFactory(published=True, published_at=at(2026, 12, 1, 0, 0), title="Mardi")
        with time_machine.travel(at(2026, 12, 1, 7, 0), tick=False):
            services.send_digests()
        # The job missed Wednesday: Thursday's digest still holds Tuesday's case.
        with time_machine.travel(at(2026, 12, 3, 7, 0), tick=False):
            services.send_digests()
        assert ["Lundi" in m.body and "Mardi" not in m.body for m in mail.outbox[:1]] == [True]
        assert "Mardi" in mail.outbox[1].body and "Lundi" not in mail.outbox[1].body
        assert len(mail.outbox) == 2

    def test_a_daily_digest_names_its_day_the_first_as_an_ordinal(self, confirmed):
        confirmed(when=at(2026, 11, 30, 10, 0))
        for n in range(2):
            UseCaseFactory(published=True, published_at=at(2026, 12, 1, 12, n))
        for day in (1, 2):
            with time_machine.travel(at(2026, 12, day, 7, 0), tick=False):
                services.send_digests()
        [message] = mail.outbox
        assert "2 nouveaux cas d’usage, publiés le 1er décembre 2026, correspondent" in message.body
        assert message.subject.endswith("2 nouveaux cas d’usage")
        assert f"Se désabonner en un clic{NBSP}:" in message.body

    def test_no_new_case_no_email(self, confirmed, capsys):
        confirmed()
        with time_machine.travel(at(2026, 12, 1, 7, 0), tick=False):
            call_command("send_alert_digests")
        assert not mail.outbox
        assert capsys.readouterr().out == "1 alerte confirmée, 0 e-mail envoyé.\n"

    def test_weekly_digest_covers_the_previous_week_once(self, confirmed):
        confirmed(frequency="weekly", when=at(2026, 11, 20, 10, 0))
        UseCaseFactory(published=True, published_at=at(2026, 11, 26, 12, 0), title="Jeudi")
        UseCaseFactory(published=True, published_at=at(2026, 11, 30, 8, 0), title="Lundi suivant")
        # Monday 30 November: the week of 23–29 November (and what came before since confirmed).
        for day in (30, 30, 1, 2):
            month = 11 if day == 30 else 12
            with time_machine.travel(at(2026, month, day, 7, 0), tick=False):
                services.send_digests()
        [message] = mail.outbox
        assert "Jeudi" in message.body and "Lundi suivant" not in message.body
        # From the confirmation to the Sunday before the digest, in French words.
        assert "Un nouveau cas d’usage, publié entre le 20 novembre et le 29 novembre 2026," in (
            message.body
        )
        assert Delivery.objects.get().period == "2026-W49"

    def test_unconfirmed_receive_nothing(self, db):
        services.subscribe(
            email="lea@example.org", criteria="", frequency="daily", now=at(2026, 11, 29, 9)
        )
        mail.outbox.clear()
        UseCaseFactory(published=True, published_at=at(2026, 11, 30, 12, 0))
        with time_machine.travel(at(2026, 12, 1, 7, 0), tick=False):
            assert services.send_digests() == (0, 0)
        assert not mail.outbox

    def test_search_criteria_go_through_the_catalogue_search(self, confirmed):
        confirmed(criteria="q=dechets", when=at(2026, 11, 30, 0, 0))
        UseCaseFactory(published=True, published_at=at(2026, 11, 30, 12), title="Trier les déchets")
        UseCaseFactory(published=True, published_at=at(2026, 11, 30, 12), title="Compter les vélos")
        with time_machine.travel(at(2026, 12, 1, 7, 0), tick=False):
            services.send_digests()
        [message] = mail.outbox
        assert "Trier les déchets" in message.body and "vélos" not in message.body

    def test_digest_lists_twenty_cases_and_links_to_the_rest(self, confirmed):
        confirmed(when=at(2026, 11, 30, 0, 0))
        for n in range(services.DIGEST_SIZE + 2):
            UseCaseFactory(published=True, published_at=at(2026, 11, 30, 1, n))
        with time_machine.travel(at(2026, 12, 1, 7, 0), tick=False):
            services.send_digests()
        [message] = mail.outbox
        assert message.body.count("/cas-d-usage/") == services.DIGEST_SIZE + 1
        assert f"Et 2 autres cas{NBSP}:" in message.body

    def test_queries_per_alert_are_bounded(self, confirmed, django_assert_max_num_queries):
        for n in range(10):
            confirmed(email=f"agent{n}@example.org", criteria=f"theme={ENV}" if n % 2 else "")
        for n in range(3):
            UseCaseFactory(published=True, published_at=at(2026, 11, 30, 12, n), tags=["eau"])
        with time_machine.travel(at(2026, 12, 1, 7, 0), tick=False):
            # Per alert: savepoint, lock, last window, count, delivery (3 with its savepoint),
            # cases, release; plus, once, the list of alerts and the catalogue index that holds
            # the filters' choices (built here from 3 queries: tests keep no index).
            with django_assert_max_num_queries(4 + 10 * 9):
                assert services.send_digests() == (10, 10)


class TestUnsubscribe:
    def test_one_click_post_without_csrf_token(self, confirmed):
        subscription = confirmed()
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            subscription.get_unsubscribe_url(),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        assert not Subscription.objects.exists()
        # Again (a client retrying): same answer, nothing to tell.
        assert client.post(subscription.get_unsubscribe_url()).status_code == 200

    def test_link_opens_a_page_with_one_button(self, client, confirmed):
        subscription = confirmed(criteria="q=eau")
        response = client.get(subscription.get_unsubscribe_url())
        page = response.content.decode()
        assert response.status_code == 200 and "Me désabonner" in page and "« eau »" in page
        assert Subscription.objects.exists()

    def test_gone_alert_is_404(self, client, db):
        assert (
            client.get(reverse("alerts:unsubscribe", kwargs={"key": "y" * 43})).status_code == 404
        )


class TestManage:
    def test_lists_the_address_alerts_and_changes_a_frequency(self, client, confirmed):
        first = confirmed(criteria="q=eau")
        second = confirmed(criteria=f"theme={ENV}")
        confirmed(criteria="q=eau", email="autre@example.org")
        response = client.get(first.get_absolute_url())
        page = response.content.decode()
        assert "« eau »" in page and "Transition écologique" in page
        assert "autre@example.org" not in page
        response = client.post(
            first.get_absolute_url(), {"alert": second.key, "frequency": "weekly"}
        )
        assert response.status_code == 302
        second.refresh_from_db()
        assert second.frequency == "weekly"

    def test_cannot_touch_another_address_alert(self, client, confirmed):
        mine = confirmed(criteria="q=eau")
        theirs = confirmed(criteria="q=eau", email="autre@example.org")
        response = client.post(
            mine.get_absolute_url(), {"alert": theirs.key, "frequency": "weekly"}
        )
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.frequency == "daily"

    def test_unconfirmed_key_goes_to_confirmation(self, client, db):
        services.subscribe(email="lea@example.org", criteria="", frequency="daily")
        subscription = Subscription.objects.get()
        response = client.get(subscription.get_absolute_url())
        assert response["Location"] == subscription.get_confirm_url()


class TestAccount:
    def test_lists_the_alerts_of_verified_addresses(self, client, confirmed):
        user = UserFactory(username="lea@example.org")
        confirmed(criteria="q=eau")
        confirmed(criteria="q=velo", email="autre@example.org")
        client.force_login(user)
        page = client.get(reverse("alerts:mine")).content.decode()
        assert "« eau »" in page and "velo" not in page

    def test_anonymous_is_sent_to_login(self, client, db):
        response = client.get(reverse("alerts:mine"))
        assert response.status_code == 302 and "/compte/login/" in response["Location"]


class TestPurge:
    def test_unconfirmed_purged_after_seven_days_idempotent(self, confirmed):
        services.subscribe(
            email="a@example.org", criteria="", frequency="daily", now=at(2026, 11, 20)
        )
        services.subscribe(
            email="b@example.org", criteria="", frequency="daily", now=at(2026, 11, 28)
        )
        confirmed(when=at(2026, 1, 1))
        for _run in range(2):
            with time_machine.travel(at(2026, 12, 1, 3, 0), tick=False):
                call_command("purge_alerts", verbosity=0)
        assert sorted(Subscription.objects.values_list("email", flat=True)) == [
            "b@example.org",
            "lea@example.org",
        ]


def test_the_whole_journey_sets_no_cookie(db):
    """Subscribing, confirming, managing and unsubscribing need no session, so no cookie."""
    client = Client(enforce_csrf_checks=True)
    responses = [client.get(reverse("alerts:subscribe"), {"q": "eau"})]
    responses.append(
        client.post(
            reverse("alerts:subscribe"),
            {"email": "lea@example.org", "frequency": "daily", "criteria": "q=eau"},
        )
    )
    subscription = Subscription.objects.get()
    url = subscription.get_confirm_url()
    responses += [client.get(url), client.post(url, follow=True), client.get(url, follow=True)]
    responses.append(
        client.post(
            subscription.get_absolute_url(), {"alert": subscription.key, "frequency": "weekly"}
        )
    )
    responses += [
        client.get(subscription.get_unsubscribe_url()),
        client.post(subscription.get_unsubscribe_url()),
    ]
    assert [r.status_code for r in responses] == [200, 302, 200, 200, 200, 302, 200, 200]
    assert not any(r.cookies for r in responses) and not client.cookies
    assert not Subscription.objects.exists()
