"""The map of the cases by département: /carte/ and the home page."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CollectiviteFactory, DepartementFactory, RegionFactory, UseCaseFactory
from usecases.maps import COLOURS, OUTLINES, counts_by_departement

pytestmark = pytest.mark.django_db


@pytest.fixture
def territories():
    auvergne = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    isere = DepartementFactory(code="38", name="Isère", region=auvergne)
    rhone = DepartementFactory(code="69", name="Rhône", region=auvergne)
    grenoble = CollectiviteFactory(name="Grenoble", departement=isere)
    lyon = CollectiviteFactory(name="Lyon", departement=rhone)
    led = UseCaseFactory(published=True, title="Mené à Grenoble", collectivite=grenoble)
    shared = UseCaseFactory(published=True, title="Mené à Lyon", collectivite=lyon)
    shared.partners.add(grenoble, CollectiviteFactory(name="Vienne", departement=isere))
    UseCaseFactory(title="Brouillon à Grenoble", collectivite=grenoble)  # not published
    return {"led": led, "shared": shared}


def test_counts_cases_led_or_partnered_once_per_departement(territories):
    assert counts_by_departement() == {"38": 2, "69": 1}


def test_map_page_shows_the_map_and_the_same_figures_as_a_table(client, territories):
    response = client.get(reverse("usecases:map"))
    assert response.status_code == 200
    content = response.content.decode()
    # 101 départements, each a link to the list filtered on it, coloured by its class.
    assert content.count('<path class="map__area') == 101
    assert (
        '<a href="/cas-d-usage/?departement=38" tabindex="-1"><path class="map__area map__area--2"'
        in content
    )
    assert "map__area--1" in content and "map__area--0" in content
    # The accessible table: the départements with cases, most first, with the same links.
    rows = re.findall(
        r'<tr><th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>(\d+)</td></tr>', content
    )
    assert rows == [
        ("/cas-d-usage/?departement=38", "Isère (38)", "2"),
        ("/cas-d-usage/?departement=69", "Rhône (69)", "1"),
    ]
    assert "IGN – ADMIN EXPRESS COG" in content
    # Nothing to fetch elsewhere: no script, no external resource in the map.
    svg = content[content.index("<svg") : content.index("</svg>")]
    assert "http" not in svg and "<script" not in svg


def test_map_page_costs_few_queries(client, territories, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(reverse("usecases:map")).status_code == 200


def test_each_area_leads_to_the_list_filtered_on_it(client, territories):
    """The list of a département holds the cases the map counts there: led or partnered, each
    once (« Mené à Lyon » has two partners in Isère)."""
    response = client.get(reverse("usecases:list"), {"departement": "38"})
    assert response.status_code == 200
    titles = sorted(case.title for case in response.context["page_obj"].object_list)
    assert titles == ["Mené à Grenoble", "Mené à Lyon"]
    assert response.context["page_obj"].paginator.count == counts_by_departement()["38"]
    api = client.get(reverse("api:usecase-list"), {"departement": "38"}).json()
    assert api["count"] == 2
    # The facet offered with the région counts the same cases.
    facets = client.get(reverse("usecases:list"), {"region": "84"}).content.decode()
    assert ">Isère (38) (2)</option>" in facets and ">Rhône (69) (1)</option>" in facets
    export = client.get(reverse("opendata:export_csv"), {"departement": "69"})
    csv = b"".join(export.streaming_content).decode()
    assert "Mené à Lyon" in csv and "Mené à Grenoble" not in csv


def test_home_page_shows_a_small_map_leading_to_the_map_page(client, territories):
    """One image and one link: the home page carries no path of the map in its own DOM."""
    content = client.get(reverse("home")).content.decode()
    link = re.search(r'<a class="home-map__link" href="([^"]+)"><img src="([^"]+)"', content)
    assert link.groups() == (reverse("usecases:map"), reverse("usecases:map_image"))
    assert "<path" not in content


def test_map_image_is_coloured_by_the_same_figures(client, territories):
    response = client.get(reverse("usecases:map_image"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    fills = re.findall(r'<path d="[^"]+" fill="(#[0-9a-f]{6})"', svg)
    assert len(fills) == 101
    assert fills.count(COLOURS[2]) == 1 and fills.count(COLOURS[1]) == 1  # Isère 2, Rhône 1.
    assert fills.count(COLOURS[0]) == 99
    assert "<script" not in svg and "href" not in svg and "<style" not in svg


def test_map_image_colours_are_those_of_the_stylesheet():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "main.css").read_text(encoding="utf-8")
    for level, colour in enumerate(COLOURS):
        assert f".map__area--{level}, .map__key--{level}::before {{ fill: {colour};" in css


def test_outlines_file_is_compact_and_credited():
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    assert len(data["departements"]) == 101
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= set(data["departements"])
    assert "IGN" in data["source"] and "Licence Ouverte" in data["source"]
    assert OUTLINES.stat().st_size < 40_000


SOURCE = Path(settings.BASE_DIR).parent / "shared" / "data" / "geo"


@pytest.mark.skipif(not SOURCE.exists(), reason="the IGN source is not beside the project")
def test_build_script_reproduces_the_committed_file(tmp_path):
    """bin/build_map.py made the committed file from the source, nothing edited by hand."""
    committed = OUTLINES.read_text(encoding="utf-8")
    script = Path(settings.BASE_DIR) / "bin" / "build_map.py"
    try:
        subprocess.run([sys.executable, str(script)], check=True, capture_output=True, timeout=120)
        assert OUTLINES.read_text(encoding="utf-8") == committed
    finally:
        OUTLINES.write_text(committed, encoding="utf-8")
