"""Figures of the published catalogue for the statistics page.

Each dimension is one grouped query over published cases (seven queries in all, whatever the
size of the catalogue). Every row carries the filter of the catalogue list that shows exactly
the cases it counts, so a figure always links to its cases.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from collectivites.choices import Kind

from .choices import Stage
from .models import Technique, Theme, UseCase, published_count

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Row:
    """One bar: a label, a count and the list filter giving these cases (None: no filter)."""

    label: str
    count: int
    filter: tuple[str, str] | None = None


@dataclass(frozen=True)
class Dimension:
    slug: str
    title: str
    key_header: str
    rows: list


def by_theme():
    """Every theme, with zeros: the six themes are the catalogue's main entry."""
    themes = Theme.objects.annotate(n=published_count("theme")).order_by("position")
    return [Row(theme.name, theme.n, ("theme", theme.slug)) for theme in themes]


def by_technique():
    techniques = Technique.objects.annotate(n=published_count("techniques")).order_by("position")
    return [Row(t.name, t.n, ("technique", t.slug)) for t in techniques]


def by_stage():
    counts = dict(
        UseCase.objects.published()
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [
        Row(str(label), counts.get(value, 0), ("stade", value)) for value, label in Stage.choices
    ]


def by_kind():
    """Kinds of the lead collectivité that have at least one case, in the vocabulary's order."""
    counts = dict(
        UseCase.objects.published()
        .order_by()
        .values("collectivite__kind")
        .annotate(n=Count("pk"))
        .values_list("collectivite__kind", "n")
    )
    return [
        Row(str(label), counts[value], ("type", value))
        for value, label in Kind.choices
        if counts.get(value)
    ]


def by_region():
    """Régions with at least one case, most cases first; cases without région come last."""
    rows = (
        UseCase.objects.published()
        .order_by()
        .values("collectivite__region__code", "collectivite__region__name")
        .annotate(n=Count("pk"))
        .values_list("collectivite__region__code", "collectivite__region__name", "n")
    )
    result = [
        Row(name, n, ("region", code))
        for code, name, n in sorted(rows, key=lambda row: (row[0] is None, -row[2], row[1] or ""))
        if code is not None
    ]
    without = sum(n for code, _name, n in rows if code is None)
    if without:
        result.append(
            Row(str(_("Sans région (collectivités d’outre-mer, autres organismes)")), without)
        )
    return result


def by_start_year():
    rows = (
        UseCase.objects.published()
        .order_by()
        .values("start_year")
        .annotate(n=Count("pk"))
        .values_list("start_year", "n")
    )
    known = sorted((year, n) for year, n in rows if year is not None)
    result = [Row(str(year), n, ("annee", str(year))) for year, n in known]
    # A start year no source gives stays empty on the sheet (never guessed): counted apart.
    unknown = sum(n for year, n in rows if year is None)
    if unknown:
        result.append(Row(str(_("Non renseignée")), unknown))
    return result


def _months_back(today, count):
    """The first day of the `count` months ending with the month of `today`, oldest first."""
    months = []
    year, month = today.year, today.month
    for _index in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def by_publication_month(today=None):
    """Cases published in each of the last twelve months, zeros included (no list filter)."""
    today = today or timezone.localdate()
    months = _months_back(today, MONTHS_SHOWN)
    start = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    rows = (
        UseCase.objects.published()
        .filter(published_at__gte=start)
        .order_by()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counts = {}
    for month, n in rows:
        month = timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month
        counts[month.replace(day=1)] = counts.get(month.replace(day=1), 0) + n
    return [Row(date_format(month, "F Y"), counts.get(month, 0)) for month in months]


def catalogue_statistics(today=None):
    """Every dimension of the statistics page, in display order."""
    return [
        Dimension("theme", _("Cas d’usage par thème"), _("Thème"), by_theme()),
        Dimension("region", _("Cas d’usage par région"), _("Région"), by_region()),
        Dimension("stade", _("Cas d’usage par stade"), _("Stade"), by_stage()),
        Dimension("technique", _("Cas d’usage par technique d’IA"), _("Technique"), by_technique()),
        Dimension("type", _("Cas d’usage par type de collectivité porteuse"), _("Type"), by_kind()),
        Dimension("annee", _("Cas d’usage par année de début"), _("Année"), by_start_year()),
        Dimension(
            "mois",
            _("Cas d’usage publiés par mois (douze derniers mois)"),
            _("Mois de publication"),
            by_publication_month(today),
        ),
    ]
