#!/usr/bin/env python3
"""Build usecases/geo/departements.json, the outlines of the map /carte/, from IGN's contours.

Run once, by hand, when the source changes (the result is committed):

    python3 bin/build_map.py [../shared/data/geo/departements-avec-outre-mer.geojson.gz]

Source: france-geojson (IGN ADMIN EXPRESS COG 2018, INSEE COG; Licence Ouverte), see the
README of the source folder and usecases/geo/README.md. Steps:

1. project: metropolitan France in Lambert-93's conformal conic (on the sphere: the map is
   small), each overseas département in its own equirectangular projection, scaled into an
   inset box on the left of the map;
2. quantise to whole units of the map's 1000-wide frame, so that neighbours share vertices;
3. simplify without opening gaps between neighbours: rings are cut into chains at the vertices
   where the set of départements sharing them changes, each chain is simplified once
   (Douglas-Peucker, direction-independent) and used by both its sides; islands smaller than a
   few units are dropped;
4. write each département as an SVG path with relative coordinates, with its name.
"""

import gzip
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "geo" / "departements-avec-outre-mer.geojson.gz"
TARGET = ROOT / "usecases" / "geo" / "departements.json"

WIDTH, HEIGHT = 1000, 960
TOLERANCE = 2.2  # map units (the frame is 1000 wide)
MIN_AREA = 12.0  # square map units: smaller islands are dropped
# Metropolitan France's frame (x, y, width, height), right of the insets column.
METRO_BOX = (190, 10, 800, 940)
# Overseas départements: (code, box x, y, width, height) in the left column.
INSETS = {
    "971": (10, 10, 160, 160),
    "972": (10, 200, 160, 160),
    "973": (10, 390, 160, 160),
    "974": (10, 580, 160, 160),
    "976": (10, 770, 160, 160),
}


_PHI1, _PHI2, _PHI0, _LAM0 = map(math.radians, (44.0, 49.0, 46.5, 3.0))


def _t(phi):
    return math.tan(math.pi / 4 + phi / 2)


_N = math.log(math.cos(_PHI1) / math.cos(_PHI2)) / math.log(_t(_PHI2) / _t(_PHI1))
_F = math.cos(_PHI1) * _t(_PHI1) ** _N / _N
_RHO0 = _F / _t(_PHI0) ** _N


def lambert(lon, lat):
    """Lambert conformal conic with Lambert-93's parallels (44°, 49°), origin 46.5° N 3° E."""
    rho = _F / _t(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LAM0)
    return rho * math.sin(theta), -(_RHO0 - rho * math.cos(theta))


def equirectangular(lon, lat, lat0):
    return math.radians(lon) * math.cos(math.radians(lat0)), -math.radians(lat)


def rings_of(geometry):
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [ring for polygon in polygons for ring in polygon]


def fit(points_by_code, box):
    """A function placing projected points into `box`, keeping proportions."""
    xs = [x for rings in points_by_code.values() for ring in rings for x, _ in ring]
    ys = [y for rings in points_by_code.values() for ring in rings for _, y in ring]
    x0, y0, width, height = box
    left, top = min(xs), min(ys)
    scale = min(width / (max(xs) - left), height / (max(ys) - top))
    dx = x0 + (width - scale * (max(xs) - left)) / 2
    dy = y0 + (height - scale * (max(ys) - top)) / 2
    return lambda x, y: (round(dx + (x - left) * scale), round(dy + (y - top) * scale))


def quantised(rings, place):
    result = []
    for ring in rings:
        points = []
        for x, y in ring:
            point = place(x, y)
            if not points or points[-1] != point:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) >= 3:
            result.append(points)
    return result


def area(points):
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def douglas_peucker(points, tolerance):
    """Keep the first and last points and those farther than `tolerance` from the chords."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        best, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                distance = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            else:
                distance = math.hypot(x - x1, y - y1)
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_shared(rings_by_code):
    """Simplify every ring, each border between two départements the same way on both sides."""
    owners = {}
    for code, rings in rings_by_code.items():
        for ring in rings:
            for point in ring:
                owners.setdefault(point, set()).add(code)
    cache = {}

    def chain(points):
        key = tuple(points) if points[0] <= points[-1] else tuple(reversed(points))
        if key not in cache:
            cache[key] = douglas_peucker(list(key), TOLERANCE)
        simplified = cache[key]
        return simplified if key[0] == points[0] else list(reversed(simplified))

    result = {}
    for code, rings in rings_by_code.items():
        kept = []
        for ring in rings:
            size = len(ring)
            fixed = [
                i
                for i in range(size)
                if owners[ring[i]] != owners[ring[i - 1]]
                or owners[ring[i]] != owners[ring[(i + 1) % size]]
            ]
            if not fixed:
                fixed = [0]
            points = []
            for position, start in enumerate(fixed):
                end = fixed[(position + 1) % len(fixed)]
                span = (end - start) % size or size
                piece = [ring[(start + k) % size] for k in range(span + 1)]
                points += chain(piece)[:-1]
            if len(points) >= 3 and area(points) >= MIN_AREA:
                kept.append(points)
        if not kept:  # A département is never dropped whole: keep its largest ring.
            kept = [max(rings, key=area)]
        result[code] = kept
    return result


def path(rings):
    """An SVG path with relative coordinates: « M x y l dx dy … z » per ring."""
    parts = []
    for ring in rings:
        (x, y), *rest = ring
        steps = []
        for nx, ny in rest:
            steps.append(f"{nx - x} {ny - y}")
            x, y = nx, ny
        parts.append(f"M{ring[0][0]} {ring[0][1]}l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


def build(source):
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    names = {f["properties"]["code"]: f["properties"]["nom"] for f in features}
    projected = {}
    for feature in features:
        code = feature["properties"]["code"]
        rings = rings_of(feature["geometry"])
        if code in INSETS:
            lat0 = sum(lat for ring in rings for _, lat in ring) / sum(len(r) for r in rings)
            projected[code] = [[equirectangular(lon, lat, lat0) for lon, lat in r] for r in rings]
        else:
            projected[code] = [[lambert(lon, lat) for lon, lat in ring] for ring in rings]
    metro = {code: rings for code, rings in projected.items() if code not in INSETS}
    place = fit(metro, METRO_BOX)
    quantised_rings = {code: quantised(rings, place) for code, rings in metro.items()}
    for code, box in INSETS.items():
        place = fit({code: projected[code]}, box)
        quantised_rings[code] = quantised(projected[code], place)
    simplified = simplify_shared(quantised_rings)
    return {
        "source": (
            "IGN – ADMIN EXPRESS COG (2018), INSEE – COG (2018), via france-geojson "
            "(Grégoire David), commit 5d34ee6d0140c29f785fdb047d9329f1aab58833; "
            "Licence Ouverte / Open Licence (Etalab). Projected and simplified by bin/build_map.py."
        ),
        "width": WIDTH,
        "height": HEIGHT,
        "insets": [list(box) for box in INSETS.values()],
        "departements": {
            code: {"name": names[code], "path": path(simplified[code])}
            for code in sorted(simplified)
        },
    }


def main():
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    data = build(source)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size / 1000:.1f} kB")


if __name__ == "__main__":
    main()
