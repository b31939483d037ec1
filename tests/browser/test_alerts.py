"""Alert journeys in a real browser, without JavaScript: subscribe, confirm, unsubscribe.

The pages themselves pass the axe and sobriety gates through tests/browser/site_pages.py.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alerts import services
from alerts.models import Subscription
from usecases.models import UseCase

pytestmark = pytest.mark.browser


@pytest.fixture
def visitor(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def link_in(message, fragment):
    return re.search(rf"https?://\S+/alertes/{fragment}/\S+/", message.body).group(0)


def test_subscribe_from_a_search_then_confirm(visitor, catalogue):
    visitor.goto("/cas-d-usage/?q=fuites&tri=titre")
    visitor.get_by_role("link", name="Recevoir les nouveaux cas par e-mail").click()
    assert visitor.locator("h1").inner_text() == "Recevoir les nouveaux cas par e-mail"
    assert "Rechercher : « fuites »" in visitor.locator("main").inner_text()
    visitor.get_by_label("Votre adresse e-mail").fill("agent@collectivite.example.org")
    visitor.get_by_label("Chaque jour").check()
    visitor.get_by_role("button", name="Recevoir les nouveaux cas").click()
    assert visitor.locator("h1").inner_text() == "Vérifiez votre boîte de réception"
    assert Subscription.objects.get(email="agent@collectivite.example.org").confirmed_at is None

    [message] = [m for m in mail.outbox if m.to == ["agent@collectivite.example.org"]]
    visitor.goto(link_in(message, "confirmer"))
    visitor.get_by_role("button", name="Confirmer l’alerte").click()
    assert "Votre alerte est confirmée." in visitor.locator("[role=status]").inner_text()
    assert "« fuites »" in visitor.locator("main").inner_text()
    subscription = Subscription.objects.get(email="agent@collectivite.example.org")
    assert subscription.confirmed_at is not None
    assert visitor.context.cookies() == []


def test_unsubscribe_in_one_click_from_the_digest(visitor, catalogue):
    subscription = Subscription.objects.get(key=catalogue.alert_key)
    yesterday = timezone.now() - timedelta(days=1)
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmed_at=yesterday - timedelta(days=1), frequency="daily", criteria="q=fuites"
    )
    UseCase.objects.published().filter(title__icontains="fuites").update(published_at=yesterday)
    mail.outbox.clear()
    services.send_digests()
    [digest] = mail.outbox
    url = link_in(digest, "desabonnement")
    assert digest.extra_headers["List-Unsubscribe"] == f"<{url}>"

    visitor.goto(url)
    visitor.get_by_role("button", name="Me désabonner").click()
    assert visitor.locator("h1").inner_text() == "Désabonnement enregistré"
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_mail_client_one_click_post(visitor, catalogue, live_server):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no cookie nor token."""
    subscription = Subscription.objects.get(key=catalogue.alert_key)
    response = visitor.request.post(
        live_server.url + subscription.get_unsubscribe_url(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        data="List-Unsubscribe=One-Click",
    )
    assert response.status == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
