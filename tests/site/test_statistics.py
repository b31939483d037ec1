"""The statistics page: figures per dimension, SVG charts with a table alternative and links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bibliotheque.charts import WIDTH, bar_chart, filter_url
from collectivites.choices import Kind
from tests.factories import (
    CollectiviteFactory,
    DepartementFactory,
    RegionFactory,
    UseCaseFactory,
    theme,
)
from usecases.choices import Stage, Status
from usecases.statistics import Row, by_publication_month, catalogue_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    """Three published cases (two on mobility, one in Île-de-France) and a hidden draft."""
    paris = DepartementFactory(
        code="75", name="Paris", region=RegionFactory(code="11", name="Île-de-France")
    )
    UseCaseFactory(
        published=True,
        theme=theme("mobilites"),
        start_year=2023,
        stage=Stage.DEPLOYMENT,
        techniques=["optimisation"],
    )
    UseCaseFactory(
        published=True,
        theme=theme("mobilites"),
        start_year=2024,
        techniques=["optimisation", "vision-par-ordinateur"],
        collectivite=CollectiviteFactory(kind=Kind.METROPOLE, departement=paris),
    )
    UseCaseFactory(published=True, start_year=2024)
    UseCaseFactory(status=Status.DRAFT, theme=theme("mobilites"), start_year=2020, stage=Stage.IDEA)


def rows_of(slug):
    dimension = next(d for d in catalogue_statistics() if d.slug == slug)
    return {row.label: (row.count, row.filter) for row in dimension.rows}


def test_counts_only_published_cases_by_theme_with_zeros(catalogue):
    rows = rows_of("theme")
    assert len(rows) == 6
    assert rows["Mobilités"] == (2, ("theme", "mobilites"))
    assert rows["Transition écologique et énergétique"][0] == 1
    assert rows["Attractivité et aménagement"][0] == 0


def test_counts_by_region_most_first(catalogue):
    dimension = next(d for d in catalogue_statistics() if d.slug == "region")
    assert [(r.label, r.count, r.filter) for r in dimension.rows] == [
        ("Bretagne", 2, ("region", "53")),
        ("Île-de-France", 1, ("region", "11")),
    ]


def test_counts_by_stage_technique_kind_and_start_year(catalogue):
    assert rows_of("stade")["Déploiement"] == (1, ("stade", "deployment"))
    assert rows_of("stade")["Expérimentation"][0] == 2
    assert rows_of("stade")["Idée"][0] == 0  # the draft is not counted
    techniques = rows_of("technique")
    assert techniques["Optimisation et planification"] == (2, ("technique", "optimisation"))
    assert techniques["Vision par ordinateur"][0] == 1
    assert rows_of("type") == {
        "Commune": (2, ("type", "commune")),
        "Métropole": (1, ("type", "metropole")),
    }
    assert rows_of("annee") == {"2023": (1, ("annee", "2023")), "2024": (2, ("annee", "2024"))}


def test_cases_without_a_start_year_are_counted_apart(client, catalogue):
    """A start year no source gives is « non renseignée »: counted, after the years, no link."""
    UseCaseFactory(published=True, start_year=None, build_mode="")
    assert list(rows_of("annee")) == ["2023", "2024", "Non renseignée"]
    assert rows_of("annee")["Non renseignée"] == (1, None)
    assert client.get(reverse("statistics")).status_code == 200


def test_counts_by_publication_month_over_twelve_months_with_zeros():
    now = timezone.now()
    UseCaseFactory(published=True)
    UseCaseFactory(published=True, published_at=now - datetime.timedelta(days=800))
    rows = by_publication_month(today=timezone.localdate())
    assert len(rows) == 12
    assert rows[-1].count == 1
    assert sum(row.count for row in rows) == 1
    assert all(row.filter is None for row in rows)


def test_months_cross_the_new_year():
    labels = [row.label for row in by_publication_month(today=datetime.date(2026, 2, 10))]
    assert labels[0] == "mars 2025"
    assert labels[-1] == "février 2026"


def test_chart_geometry_scales_bars_to_the_longest():
    rows = [Row("A", 10, ("theme", "a")), Row("B", 5, None), Row("C", 0, None)]
    chart = bar_chart(chart_id="c", title="T", key_header="K", rows=rows, list_url="/l/")
    widths = [bar.width for bar in chart.bars]
    assert widths[0] > widths[1] * 1.9 and widths[0] <= WIDTH
    assert widths[2] == 0
    assert chart.bars[0].url == "/l/?theme=a"
    assert chart.bars[1].url == ""
    assert chart.total == 15
    assert "« A » avec 10 cas d’usage" in chart.description
    assert chart.height > chart.bars[-1].bar_y


def test_small_values_keep_a_visible_bar():
    chart = bar_chart(
        chart_id="c", title="T", key_header="K", rows=[Row("A", 1000), Row("B", 1)], list_url="/"
    )
    assert chart.bars[1].width == 2


def test_empty_chart_says_so():
    chart = bar_chart(chart_id="c", title="T", key_header="K", rows=[], list_url="/")
    assert chart.bars == []
    assert "aucun cas d’usage" in chart.description


def test_filter_url_encodes_values():
    assert filter_url("/cas-d-usage/", ("q", "é & co")) == "/cas-d-usage/?q=%C3%A9+%26+co"


def test_page_has_an_svg_image_and_a_linked_table_per_dimension(client, catalogue):
    content = client.get(reverse("statistics")).content.decode()
    # Seven figures of the catalogue and one of the observatory (the others on its own page).
    assert content.count('role="img"') == 8
    assert content.count("<desc id=") == 8
    assert content.count('<table class="chart__table">') == 8
    assert "3 cas d’usage publiés" in content
    for query in (
        "?theme=mobilites",
        "?region=53",
        "?stade=deployment",
        "?technique=optimisation",
        "?type=metropole",
        "?annee=2024",
    ):
        assert f'href="/cas-d-usage/{query}"' in content, query
    # SVG coordinates are never localised (a decimal comma would break the drawing).
    assert f'viewBox="0 0 {WIDTH} ' in content


def test_linked_lists_count_what_the_chart_says(client, catalogue):
    """Following a figure's link lists exactly the cases it counts."""
    for query, expected in (("?theme=mobilites", 2), ("?region=11", 1), ("?annee=2024", 2)):
        response = client.get("/cas-d-usage/" + query)
        assert response.context["page_obj"].paginator.count == expected, query


@pytest.mark.parametrize("count", [0, 3, 30])
def test_page_queries_are_bounded(client, django_assert_max_num_queries, count):
    for index in range(count):
        UseCaseFactory(
            published=True,
            start_year=2015 + index % 10,
            techniques=["optimisation", "ia-generative"],
            collectivite=CollectiviteFactory(kind=[Kind.COMMUNE, Kind.CA][index % 2]),
        )
    # Seven grouped queries of the catalogue, then the observatory's five
    # (usecases.mutualisation.observatory), computed once per catalogue version outside tests.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("statistics"))
    assert response.status_code == 200


def test_tied_longest_bars_are_all_named():
    rows = [Row("A", 4), Row("B", 4), Row("C", 4), Row("D", 1)]
    chart = bar_chart(chart_id="c", title="T", key_header="K", rows=rows, list_url="/")
    assert "les barres les plus longues, à égalité, sont « A », « B » et « C »" in chart.description
    assert "avec 4 cas d’usage chacune" in chart.description
    assert "la barre la plus longue" not in chart.description


def test_labels_stay_readable_once_scaled_to_a_small_screen():
    """A 14px label in a chart drawn 320 user units wide keeps ≥ 12px in a 288px column."""
    assert 14 * 288 / WIDTH >= 12
