"""Horizontal bar charts computed on the server and drawn as inline SVG.

No chart library and no JavaScript: this module computes the geometry (integers, in the SVG's
own units) and ``templates/includes/_bar_chart.html`` draws it, with a ``<title>``/``<desc>``
and a data table that carries the same figures and the links to the matching cases.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

WIDTH = 320  # user units: 14px labels stay ≥ 12px once scaled to a 320px screen
LABEL_LINE = 18  # one line of label text above each bar
BAR_HEIGHT = 14
ROW_GAP = 12
VALUE_SPACE = 48  # room right of the longest bar for its value
TOP = 4
ROW_HEIGHT = LABEL_LINE + BAR_HEIGHT + ROW_GAP


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    url: str
    label_y: int
    bar_y: int
    width: int
    value_x: int
    value_y: int


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    key_header: str
    bars: list
    width: int
    height: int
    value_header: str = ""
    level: int = 2  # of the chart's heading

    @property
    def total(self):
        return sum(bar.value for bar in self.bars)


def filter_url(list_url, criterion):
    """The catalogue list filtered on one criterion, e.g. /cas-d-usage/?theme=mobilites."""
    if criterion is None:
        return ""
    name, value = criterion
    return f"{list_url}?{urlencode({name: value})}"


def describe(rows, unit=None):
    """A short text alternative of the chart's shape; the table gives every figure.

    `unit` is what the values count, in lower case (default « cas d’usage »).
    """
    if not rows or not any(row.count for row in rows):
        if unit:
            return _("Diagramme en barres vide : aucune valeur.")
        return _("Diagramme en barres vide : aucun cas d’usage publié.")
    unit = unit or _("cas d’usage")
    top = max(row.count for row in rows)
    leaders = [row.label for row in rows if row.count == top]
    if len(leaders) == 1:
        return _(
            "Diagramme en barres horizontales ; la barre la plus longue est « %(label)s » avec "
            "%(count)d %(unit)s. Le tableau qui suit donne chaque valeur."
        ) % {"label": leaders[0], "count": top, "unit": unit}
    labels = ", ".join(f"« {label} »" for label in leaders[:-1]) + _(" et ") + f"« {leaders[-1]} »"
    return _(
        "Diagramme en barres horizontales ; les barres les plus longues, à égalité, sont "
        "%(labels)s avec %(count)d %(unit)s chacune. Le tableau qui suit donne chaque valeur."
    ) % {"labels": labels, "count": top, "unit": unit}


def bar_chart(
    *, chart_id, title, key_header, rows, list_url, value_header=None, unit=None, level=2
):
    """Lay out one bar per row (label above, bar, value at the bar's end) in a fixed width.

    `value_header` heads the table's value column and `unit` names the values in the text
    alternative; both default to cases (« Cas d’usage »).
    """
    longest = max((row.count for row in rows), default=0) or 1
    return BarChart(
        id=chart_id,
        title=title,
        description=describe(rows, unit),
        key_header=key_header,
        bars=[
            bar(row, top=TOP + index * ROW_HEIGHT, longest=longest, list_url=list_url)
            for index, row in enumerate(rows)
        ],
        width=WIDTH,
        height=TOP + max(len(rows), 1) * ROW_HEIGHT,
        value_header=value_header or _("Cas d’usage"),
        level=level,
    )


def bar(row, *, top, longest, list_url):
    """One row's bar, its label above it and its value after it, from `top` down."""
    width = round((WIDTH - VALUE_SPACE) * row.count / longest)
    if row.count and width < 2:
        width = 2  # a visible stub for small non-zero values
    return Bar(
        label=row.label,
        value=row.count,
        url=filter_url(list_url, row.filter),
        label_y=top + LABEL_LINE - 5,
        bar_y=top + LABEL_LINE,
        width=width,
        value_x=width + 6,
        value_y=top + LABEL_LINE + BAR_HEIGHT - 2,
    )
