"""The « collectivite » criterion: a collectivité's cases (led or partner) as a catalogue list,
behind its page's links to the list, the downloads, an alert and the widget."""

import json

import pytest
from django.urls import reverse

from alerts.criteria import describe
from tests.factories import CollectiviteFactory, UseCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rennes():
    rennes = CollectiviteFactory(name="Rennes", slug="rennes")
    led = UseCaseFactory(published=True, title="Mené par Rennes", collectivite=rennes)
    partnered = UseCaseFactory(published=True, title="Avec Rennes pour partenaire")
    partnered.partners.add(rennes, CollectiviteFactory(name="Brest"))
    UseCaseFactory(published=True, title="Sans Rennes")
    UseCaseFactory(title="Brouillon de Rennes", collectivite=rennes)  # not published
    return {"collectivite": rennes, "led": led, "partnered": partnered}


def titles(response):
    return sorted(case.title for case in response.context["page_obj"].object_list)


def test_the_list_holds_the_cases_led_or_partnered_once(client, rennes):
    response = client.get(reverse("usecases:list"), {"collectivite": "rennes"})
    assert titles(response) == ["Avec Rennes pour partenaire", "Mené par Rennes"]
    page = response.content.decode()
    # Shown, with its name and count, only once chosen, so that it can be removed.
    assert '<option value="rennes" selected>Rennes (2)</option>' in page
    unfiltered = client.get(reverse("usecases:list")).content.decode()
    assert 'name="collectivite"' not in unfiltered


def test_api_exports_and_sql_agree(client, rennes):
    api = client.get(reverse("api:usecase-list"), {"collectivite": "rennes"}).json()
    assert sorted(item["title"] for item in api["results"]) == [
        "Avec Rennes pour partenaire",
        "Mené par Rennes",
    ]
    export = client.get(reverse("opendata:export_json"), {"collectivite": "rennes"})
    records = json.loads(b"".join(export.streaming_content))["data"]
    assert sorted(record["slug"] for record in records) == [
        "avec-rennes-pour-partenaire",
        "mene-par-rennes",
    ]


def test_an_unknown_collectivite_is_a_french_400(client, rennes):
    response = client.get(reverse("usecases:list"), {"collectivite": "nulle-part"})
    assert response.status_code == 400
    assert "Collectivité inconnue : nulle-part." in response.content.decode()
    api = client.get(reverse("api:usecase-list"), {"collectivite": "pas un slug"})
    assert api.status_code == 400


def test_the_collectivite_page_links_to_its_list_downloads_alert_and_widget(client, rennes):
    page = client.get(rennes["collectivite"].get_absolute_url()).content.decode()
    for name in (
        "usecases:list",
        "alerts:subscribe",
        "widget:builder",
        "opendata:export_ods",
        "opendata:export_csv",
        "opendata:export_json",
    ):
        assert f'href="{reverse(name)}?collectivite=rennes"' in page
    empty = CollectiviteFactory(name="Sans projet")
    assert "?collectivite=" not in client.get(empty.get_absolute_url()).content.decode()


def test_alert_and_widget_name_the_collectivite(client, rennes):
    assert describe("collectivite=rennes") == ["Collectivité : Rennes"]
    builder = client.get(reverse("widget:builder"), {"collectivite": "rennes"})
    assert builder.status_code == 200
    assert "Cas d’usage de l’IA : Rennes" in builder.content.decode()
    embed = client.get(reverse("widget:embed"), {"collectivite": "rennes"}).content.decode()
    assert "Mené par Rennes" in embed and "Sans Rennes" not in embed


def test_the_filtered_list_costs_no_more_queries_than_the_plain_one(
    client, rennes, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        client.get(reverse("usecases:list"), {"collectivite": "rennes"})
