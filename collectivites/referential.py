"""Turn the upstream referential (``@etalab/decoupage-administratif``) into normalised records.

The functions here are pure: they take the upstream JSON lists and return plain dicts, so that
the fixture builder and the importer apply exactly the same rules.

Geography versus collectivités. ``Region`` and ``Departement`` rows describe the official
geography (COG): the 18 current régions and the 101 départements, including 2A, 2B, 972, 973
and 976 although no council sits there. The collectivités overseas (COM: 975, 977, 978, 984,
986 to 989) are left out of the geography; their communes keep no département nor région.

A ``Collectivite`` row is a legal person with an elected council:

- every ``commune-actuelle`` (communes déléguées, associées and the arrondissements municipaux
  of Paris, Lyon and Marseille have no legal personality and are skipped);
- every EPCI à fiscalité propre (CC, CA, CU, métropole) and every EPT;
- every département and région that still has its own council;
- the collectivités à statut particulier, which replace some of them and are coded with the
  INSEE "collectivités territoriales ayant les compétences départementales" codes:

  * Collectivité de Corse (20R) replaces région 94 and départements 2A and 2B;
  * Collectivité territoriale de Martinique (972R) replaces région 02 and département 972;
  * Collectivité territoriale de Guyane (973R) replaces région 03 and département 973;
  * Département de Mayotte (976R) replaces région 06 and département 976;
  * Métropole de Lyon (69M): upstream lists it among the EPCI with the type ``MET69`` and no
    "69M" département exists upstream. It is not an EPCI à fiscalité propre (its communes get
    no ``epci``) and not a département either: département 69 "Rhône" keeps its council.

- Ville de Paris is both the commune 75056 and the former département 75: it is kept as the
  commune row only, so département 75 gets no collectivité.
- Collectivité européenne d'Alsace (6AE) has replaced the councils of départements 67 and 68
  since 2021. It is legally a département, so it gets kind ``departement``; 67 and 68 do not.

Codes: INSEE code for communes, départements and régions, the codes above for the special
cases, the SIREN for EPCI and EPT. Slugs are ``slugify(name)-code``, unique.
"""

import gzip
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from .choices import Kind

UPSTREAM_FILES = ("regions", "departements", "epci", "ept", "communes")

EPCI_KINDS = {"CC": Kind.CC, "CA": Kind.CA, "CU": Kind.CU, "METRO": Kind.METROPOLE}
LYON_TYPE = "MET69"
LYON_CODE = "69M"

# Départements whose territory has no council of its own: Paris is its commune.
PARIS_DEPARTEMENT = "75"

COLLECTIVITE_FIELDS = (
    "kind",
    "code",
    "name",
    "slug",
    "siren",
    "departement",
    "region",
    "population",
    "epci",
)


@dataclass(frozen=True)
class SingleCollectivite:
    """A collectivité that replaces the councils of some départements and/or a région."""

    kind: str
    code: str
    name: str
    siren: str  # From the SIRENE register: upstream does not carry it.
    region: str
    departements: tuple[str, ...]
    replaces_region: bool

    @property
    def departement(self):
        # A collectivité spanning two départements belongs to neither.
        return self.departements[0] if len(self.departements) == 1 else None


SINGLE_COLLECTIVITES = (
    SingleCollectivite(
        Kind.STATUT_PARTICULIER, "20R", "Collectivité de Corse", "200076958", "94",
        ("2A", "2B"), True,
    ),
    SingleCollectivite(
        Kind.STATUT_PARTICULIER, "972R", "Collectivité territoriale de Martinique",
        "200055507", "02", ("972",), True,
    ),
    SingleCollectivite(
        Kind.STATUT_PARTICULIER, "973R", "Collectivité territoriale de Guyane", "200052678",
        "03", ("973",), True,
    ),
    SingleCollectivite(
        Kind.STATUT_PARTICULIER, "976R", "Département de Mayotte", "229850003", "06",
        ("976",), True,
    ),
    SingleCollectivite(
        Kind.STATUT_PARTICULIER, "6AE", "Collectivité européenne d'Alsace", "200094332", "44",
        ("67", "68"), False,
    ),
)  # fmt: skip

DEPARTEMENTS_WITHOUT_COUNCIL = {PARIS_DEPARTEMENT} | {
    code for single in SINGLE_COLLECTIVITES for code in single.departements
}
REGIONS_WITHOUT_COUNCIL = {s.region for s in SINGLE_COLLECTIVITES if s.replaces_region}


def make_slug(name, code):
    return f"{slugify(name)}-{slugify(code)}"


def read_upstream(directory):
    """The five upstream JSON lists, keyed like the arguments of ``build_records``."""
    directory = Path(directory)
    return {
        name: json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        for name in UPSTREAM_FILES
    }


def build_records(regions, departements, epci, ept, communes):
    """Normalised ``{"regions", "departements", "collectivites"}`` lists of plain dicts."""
    geo_regions = [{"code": r["code"], "name": r["nom"]} for r in regions if r.get("zone") != "com"]
    region_codes = {r["code"] for r in geo_regions}
    geo_departements = [
        {"code": d["code"], "name": d["nom"], "region": d["region"]}
        for d in departements
        if d.get("zone") != "com" and d["region"] in region_codes
    ]
    geography = _Geography(
        region_codes, {d["code"] for d in geo_departements}, communes, _lyon_members(epci)
    )
    rows = [
        *_commune_rows(geography, _epci_membership(epci)),
        *_groupement_rows(epci + ept, geography),
        *_departement_rows(geo_departements, geography),
        *_region_rows(geo_regions, geography),
        *_single_rows(geography),
    ]
    return {
        "regions": geo_regions,
        "departements": geo_departements,
        "collectivites": _with_unique_slugs(rows),
    }


class _Geography:
    """Current communes and population totals, with references limited to known geography."""

    def __init__(self, region_codes, departement_codes, communes, lyon_members):
        self.region_codes = region_codes
        self.departement_codes = departement_codes
        self.communes = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
        self.population_by = {"departement": Counter(), "region": Counter()}
        for code, commune in self.communes.items():
            population = commune.get("population") or 0
            self.population_by["region"][commune["region"]] += population
            # The Rhône council does not govern the communes of the Métropole de Lyon.
            if code not in lyon_members:
                self.population_by["departement"][commune["departement"]] += population

    def departement(self, code):
        return code if code in self.departement_codes else None

    def region(self, code):
        return code if code in self.region_codes else None

    def population(self, level, codes):
        return sum(self.population_by[level][code] for code in codes) or None


def _epci_membership(epci):
    """Commune code -> SIREN of its EPCI à fiscalité propre (the Métropole de Lyon is not one)."""
    return {
        member["code"]: entry["code"]
        for entry in epci
        if entry["type"] in EPCI_KINDS
        for member in entry["membres"]
    }


def _lyon_members(epci):
    return {m["code"] for entry in epci if entry["type"] == LYON_TYPE for m in entry["membres"]}


def _row(kind, code, name, *, siren="", departement=None, region=None, population=None):
    return {
        "kind": str(kind),
        "code": code,
        "name": name,
        "siren": siren,
        "departement": departement,
        "region": region,
        "population": population,
        "epci": None,
    }


def _commune_rows(geography, epci_of):
    for code, commune in geography.communes.items():
        row = _row(
            Kind.COMMUNE,
            code,
            commune["nom"],
            siren=commune.get("siren", ""),
            departement=geography.departement(commune["departement"]),
            region=geography.region(commune["region"]),
            population=commune.get("population"),
        )
        row["epci"] = epci_of.get(code)
        yield row


def _groupement_rows(groupements, geography):
    """EPCI, EPT and the Métropole de Lyon, located where their most populous member is."""
    for entry in groupements:
        kind, code = _groupement_kind_and_code(entry)
        if kind is None:
            continue
        seat = _most_populous_member(entry, geography)
        yield _row(
            kind,
            code,
            entry["nom"],
            siren=entry["code"],
            departement=geography.departement(seat.get("departement")),
            region=geography.region(seat.get("region")),
            population=entry.get("populationTotale"),
        )


def _groupement_kind_and_code(entry):
    if entry["type"] == LYON_TYPE:
        return Kind.STATUT_PARTICULIER, LYON_CODE
    if entry["type"] == "EPT":
        return Kind.EPT, entry["code"]
    return EPCI_KINDS.get(entry["type"]), entry["code"]


def _most_populous_member(entry, geography):
    members = [m for m in entry["membres"] if m["code"] in geography.communes]
    if not members:
        return {}
    top = max(members, key=lambda m: (m.get("populationTotale") or 0, m["code"]))
    return geography.communes[top["code"]]


def _departement_rows(geo_departements, geography):
    for dep in geo_departements:
        if dep["code"] in DEPARTEMENTS_WITHOUT_COUNCIL:
            continue
        yield _row(
            Kind.DEPARTEMENT,
            dep["code"],
            dep["name"],
            departement=dep["code"],
            region=dep["region"],
            population=geography.population("departement", [dep["code"]]),
        )


def _region_rows(geo_regions, geography):
    for region in geo_regions:
        if region["code"] in REGIONS_WITHOUT_COUNCIL:
            continue
        yield _row(
            Kind.REGION,
            region["code"],
            region["name"],
            region=region["code"],
            population=geography.population("region", [region["code"]]),
        )


def _single_rows(geography):
    for single in SINGLE_COLLECTIVITES:
        if not set(single.departements) & geography.departement_codes:
            continue  # A partial (e.g. test) upstream without this territory.
        yield _row(
            single.kind,
            single.code,
            single.name,
            siren=single.siren,
            departement=single.departement,
            region=geography.region(single.region),
            population=geography.population("departement", single.departements),
        )


def _with_unique_slugs(rows, taken=()):
    """Set ``slug``; a (theoretical) clash gets the kind, then a counter, appended."""
    taken = set(taken)
    for row in rows:
        row["slug"] = unique_slug(make_slug(row["name"], row["code"]), row["kind"], taken)
        taken.add(row["slug"])
    return rows


def unique_slug(slug, kind, taken):
    if slug not in taken:
        return slug
    slug = f"{slug}-{slugify(kind)}"
    candidate, counter = slug, 2
    while candidate in taken:
        candidate, counter = f"{slug}-{counter}", counter + 1
    return candidate


def pack(records, source):
    """The compact fixture form: lists instead of dicts, field names stated once."""
    return {
        "source": source,
        "regions": [[r["code"], r["name"]] for r in records["regions"]],
        "departements": [[d["code"], d["name"], d["region"]] for d in records["departements"]],
        "fields": list(COLLECTIVITE_FIELDS),
        "collectivites": [
            [row[field] for field in COLLECTIVITE_FIELDS] for row in records["collectivites"]
        ],
    }


def unpack(data):
    """Inverse of ``pack``."""
    fields = data["fields"]
    return {
        "regions": [{"code": code, "name": name} for code, name in data["regions"]],
        "departements": [
            {"code": code, "name": name, "region": region}
            for code, name, region in data["departements"]
        ],
        "collectivites": [
            dict(zip(fields, values, strict=True)) for values in data["collectivites"]
        ],
    }


def write_fixture(path, records, source):
    payload = json.dumps(pack(records, source), ensure_ascii=False, separators=(",", ":"))
    # mtime=0 keeps the file byte-identical when rebuilt from the same upstream data.
    with gzip.GzipFile(Path(path), "wb", compresslevel=9, mtime=0) as output:
        output.write(payload.encode("utf-8"))


def read_fixture(path):
    with gzip.open(Path(path), "rt", encoding="utf-8") as fixture:
        return unpack(json.load(fixture))
