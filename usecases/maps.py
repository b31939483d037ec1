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

from django.db.models import F

from .choices import Status
from .models import UseCase
from .pagecache import per_catalogue_version

OUTLINES = Path(__file__).resolve().parent / "geo" / "departements.json"
# Colour classes: upper bounds of the number of cases (the last class has no bound).
CLASSES = [(0, "0"), (1, "1"), (3, "2 à 3"), (6, "4 à 6"), (None, "7 et plus")]


@lru_cache(maxsize=1)
def outlines():
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


def counts_by_departement():
    """{département code: number of published cases led or partnered there}."""

    def compute():
        lead = UseCase.objects.filter(
            status=Status.PUBLISHED, collectivite__departement__isnull=False
        ).values_list("pk", F("collectivite__departement__code"))
        partners = UseCase.partners.through.objects.filter(
            usecase__status=Status.PUBLISHED, collectivite__departement__isnull=False
        ).values_list("usecase_id", F("collectivite__departement__code"))
        counts = {}
        for _pk, code in set(lead.order_by()) | set(partners.order_by()):
            counts[code] = counts.get(code, 0) + 1
        return counts

    return per_catalogue_version("map-departements", compute)


def colour_class(count):
    for index, (bound, _label) in enumerate(CLASSES):
        if bound is None or count <= bound:
            return index
    return len(CLASSES) - 1


@dataclass
class Area:
    code: str
    name: str
    path: str
    count: int

    @property
    def level(self):
        return colour_class(self.count)


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
