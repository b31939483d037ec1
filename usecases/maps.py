"""The map of the catalogue by département (/carte/ and the home page).

Outlines: usecases/geo/departements.json, projected and simplified once by bin/build_map.py
from IGN's ADMIN EXPRESS (provenance and credit in usecases/geo/README.md). The figures: the
published cases led by a collectivité of the département or with a partner there, each counted
once per département.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext_lazy as _

from .choices import Status
from .models import UseCase
from .pagecache import per_catalogue_version

OUTLINES = Path(__file__).resolve().parent / "geo" / "departements.json"
# Colour classes: upper bounds of the number of cases (the last class has no bound).
CLASSES = [(0, "0"), (1, "1"), (3, _("2 à 3")), (6, _("4 à 6")), (None, _("7 et plus"))]


@lru_cache(maxsize=1)
def outlines():
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


def counts_by_departement():
    """{département code: number of published cases led or partnered there}."""

    def compute():
        # One query: the (case, département) pairs of leads and partners, each counted once.
        from collectivites.models import Collectivite, Departement

        cases = UseCase._meta.db_table
        partners = UseCase.partners.through._meta.db_table
        collectivites = Collectivite._meta.db_table
        departements = Departement._meta.db_table
        sql = f"""
            SELECT code, COUNT(*) FROM (
                SELECT u.id AS case_id, d.code AS code FROM {cases} u
                JOIN {collectivites} c ON c.id = u.collectivite_id
                JOIN {departements} d ON d.id = c.departement_id
                WHERE u.status = %s
                UNION
                SELECT u.id, d.code FROM {partners} p
                JOIN {cases} u ON u.id = p.usecase_id
                JOIN {collectivites} c ON c.id = p.collectivite_id
                JOIN {departements} d ON d.id = c.departement_id
                WHERE u.status = %s
            ) pairs GROUP BY code
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [Status.PUBLISHED, Status.PUBLISHED])
            return dict(cursor.fetchall())

    return per_catalogue_version("map-departements", compute)


def colour_class(count):
    for index, (bound, _label) in enumerate(CLASSES):
        if bound is None or count <= bound:
            return index
    return len(CLASSES) - 1


# The colours of the classes, as static/css/main.css gives them to the inline map: the image
# version (map_image) carries them as attributes, which a page's CSS cannot reach.
COLOURS = ["#e8edf3", "#b5cbe3", "#6f9bcb", "#2f6aa8", "#123562"]


@dataclass
class Area:
    code: str
    name: str
    path: str
    count: int

    @property
    def level(self):
        return colour_class(self.count)

    @property
    def colour(self):
        return COLOURS[self.level]


def departement_map():
    """What the map template needs: the areas, the inset boxes, the legend and the frame."""
    data = outlines()
    counts = counts_by_departement()
    areas = [
        Area(code, item["name"], item["path"], counts.get(code, 0))
        for code, item in data["departements"].items()
    ]
    return {
        "width": data["width"],
        "height": data["height"],
        "insets": data["insets"],
        "areas": areas,
        "legend": [(index, label) for index, (_bound, label) in enumerate(CLASSES)],
        "with_cases": sorted(
            (area for area in areas if area.count), key=lambda area: (-area.count, area.name)
        ),
        "source": data["source"],
    }
