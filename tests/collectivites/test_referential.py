"""Rules of ``collectivites.referential`` on a tiny synthetic upstream."""

import copy
import json
from collections import Counter

from collectivites import referential


def _commune(code, name, dep, reg, kind="commune-actuelle", population=1000, siren=None):
    commune = {"code": code, "nom": name, "departement": dep, "region": reg, "type": kind}
    commune["zone"] = "com" if dep.startswith("98") or dep == "975" else "metro"
    if kind == "commune-actuelle":
        commune["population"] = population
        if siren:
            commune["siren"] = siren
    return commune


def _groupement(siren, name, kind, members, population):
    return {
        "code": siren,
        "nom": name,
        "type": kind,
        "populationTotale": population,
        "membres": [{"code": code, "nom": code, "populationTotale": pop} for code, pop in members],
    }


SYNTHETIC_UPSTREAM = {
    "regions": [
        {"code": "02", "nom": "Martinique", "zone": "drom"},
        {"code": "11", "nom": "Île-de-France", "zone": "metro"},
        {"code": "44", "nom": "Grand Est", "zone": "metro"},
        {"code": "53", "nom": "Bretagne", "zone": "metro"},
        {"code": "84", "nom": "Auvergne-Rhône-Alpes", "zone": "metro"},
        {"code": "94", "nom": "Corse", "zone": "metro"},
        {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
    ],
    "departements": [
        {"code": "2A", "region": "94", "nom": "Corse-du-Sud", "zone": "metro"},
        {"code": "2B", "region": "94", "nom": "Haute-Corse", "zone": "metro"},
        {"code": "35", "region": "53", "nom": "Ille-et-Vilaine", "zone": "metro"},
        {"code": "67", "region": "44", "nom": "Bas-Rhin", "zone": "metro"},
        {"code": "68", "region": "44", "nom": "Haut-Rhin", "zone": "metro"},
        {"code": "69", "region": "84", "nom": "Rhône", "zone": "metro"},
        {"code": "75", "region": "11", "nom": "Paris", "zone": "metro"},
        {"code": "93", "region": "11", "nom": "Seine-Saint-Denis", "zone": "metro"},
        {"code": "972", "region": "02", "nom": "Martinique", "zone": "drom"},
        {"code": "975", "region": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
    ],
    "communes": [
        _commune("35238", "Rennes", "35", "53", population=230000, siren="213502388"),
        _commune("35051", "Cesson-Sévigné", "35", "53", population=18000),
        _commune("35001", "Acigné", "35", "53", population=7000),
        _commune("35999", "Vieille Commune", "35", "53", kind="commune-deleguee"),
        _commune("35998", "Hameau Associé", "35", "53", kind="commune-associee"),
        _commune("69123", "Lyon", "69", "84", population=520000),
        _commune("69381", "Lyon 1er Arrondissement", "69", "84", kind="arrondissement-municipal"),
        _commune("69266", "Villeurbanne", "69", "84", population=160000),
        _commune("69001", "Affoux", "69", "84", population=400),
        _commune("2A004", "Ajaccio", "2A", "94", population=76000),
        _commune("2B033", "Bastia", "2B", "94", population=48000),
        _commune("97209", "Fort-de-France", "972", "02", population=75000),
        _commune("75056", "Paris", "75", "11", population=2100000, siren="217500016"),
        _commune("93001", "Aubervilliers", "93", "11", population=88000),
        _commune("67482", "Strasbourg", "67", "44", population=290000),
        _commune("68224", "Mulhouse", "68", "44", population=105000),
        _commune("97502", "Saint-Pierre", "975", "975", population=5000),
    ],
    "epci": [
        _groupement(
            "243500139",
            "Rennes Métropole",
            "METRO",
            [("35051", 18500), ("35238", 232000)],
            483000,
        ),
        _groupement("242900000", "CC du Pays d'Acigné", "CC", [("35001", 7100)], 7100),
        _groupement(
            "200046977",
            "Métropole de Lyon",
            "MET69",
            [("69123", 521000), ("69266", 161000)],
            1449000,
        ),
        _groupement("246900000", "CC des Monts", "CC", [("69001", 410)], 410),
        _groupement("242000000", "CA du Pays Ajaccien", "CA", [("2A004", 77000)], 85000),
        _groupement("242000001", "CA de Bastia", "CA", [("2B033", 49000)], 60000),
        _groupement("249720000", "CA Centre Martinique", "CA", [("97209", 76000)], 150000),
        _groupement(
            "200054781",
            "Métropole du Grand Paris",
            "METRO",
            [("75056", 2110000), ("93001", 88500)],
            7100000,
        ),
        _groupement("246700488", "Eurométropole de Strasbourg", "METRO", [("67482", 291000)], 1),
        _groupement("200066009", "Mulhouse Alsace Agglomération", "CU", [("68224", 106000)], 1),
    ],
    "ept": [_groupement("200057867", "Plaine Commune", "EPT", [("93001", 88500)], 455000)],
}


def synthetic_upstream():
    """A fresh deep copy, so that a test can alter it freely."""
    return copy.deepcopy(SYNTHETIC_UPSTREAM)


def write_upstream(directory, upstream=None):
    """Write the upstream JSON files the way the npm package lays them out."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in (upstream or synthetic_upstream()).items():
        (directory / f"{name}.json").write_text(json.dumps(rows), encoding="utf-8")
    return directory


def _records():
    return referential.build_records(**synthetic_upstream())


def _by_key(records):
    return {(row["kind"], row["code"]): row for row in records["collectivites"]}


def test_geography_keeps_current_regions_and_departements_only():
    """Régions and départements include merged ones (2A, 972) but not the COM (975)."""
    records = _records()
    assert [r["code"] for r in records["regions"]] == ["02", "11", "44", "53", "84", "94"]
    codes = [d["code"] for d in records["departements"]]
    assert codes == ["2A", "2B", "35", "67", "68", "69", "75", "93", "972"]


def test_only_current_communes_are_collectivites():
    """Communes déléguées, associées and arrondissements municipaux are not collectivités."""
    rows = _by_key(_records())
    communes = {code for kind, code in rows if kind == "commune"}
    assert {"35238", "97502", "75056"} <= communes
    assert not communes & {"35999", "35998", "69381"}
    assert len(communes) == 14


def test_commune_fields_and_slug():
    """A commune keeps its INSEE code, upstream SIREN, population, geography and EPCI SIREN."""
    rennes = _by_key(_records())[("commune", "35238")]
    assert rennes == {
        "kind": "commune",
        "code": "35238",
        "name": "Rennes",
        "slug": "rennes-35238",
        "siren": "213502388",
        "departement": "35",
        "region": "53",
        "population": 230000,
        "epci": "243500139",
    }


def test_com_communes_have_no_departement_or_region():
    """COM communes are kept but point at no geography row, since COM are not in it."""
    saint_pierre = _by_key(_records())[("commune", "97502")]
    assert saint_pierre["departement"] is None and saint_pierre["region"] is None


def test_epci_kinds_codes_and_seat():
    """EPCI kind comes from the upstream type; code is the SIREN; seat is the top member."""
    rows = _by_key(_records())
    metropole = rows[("metropole", "243500139")]
    assert metropole["slug"] == "rennes-metropole-243500139"
    assert metropole["siren"] == "243500139"
    assert (metropole["departement"], metropole["region"]) == ("35", "53")
    assert metropole["population"] == 483000
    assert ("cc", "242900000") in rows
    assert ("ca", "242000000") in rows
    assert ("cu", "200066009") in rows


def test_ept_is_a_collectivite_but_not_the_communes_epci():
    """An EPT is imported (kind ept) but its communes keep their EPCI à fiscalité propre."""
    rows = _by_key(_records())
    assert rows[("ept", "200057867")]["departement"] == "93"
    assert rows[("commune", "93001")]["epci"] == "200054781"


def test_metropole_de_lyon_is_statut_particulier():
    """Lyon (MET69 upstream) is a statut particulier coded 69M, not an EPCI; Rhône stays."""
    rows = _by_key(_records())
    lyon = rows[("statut_particulier", "69M")]
    assert lyon["name"] == "Métropole de Lyon"
    assert lyon["siren"] == "200046977"
    assert lyon["departement"] == "69"
    assert ("metropole", "200046977") not in rows
    assert rows[("commune", "69266")]["epci"] is None
    rhone = rows[("departement", "69")]
    assert rhone["name"] == "Rhône"
    # The Rhône council does not govern the Lyon communes.
    assert rhone["population"] == 400


def test_corse_and_martinique_replace_their_departements_and_regions():
    """Corse and Martinique are single collectivités: no council for 2A, 2B, 972, 94, 02."""
    rows = _by_key(_records())
    corse = rows[("statut_particulier", "20R")]
    assert corse["name"] == "Collectivité de Corse"
    assert corse["region"] == "94" and corse["departement"] is None
    assert corse["population"] == 76000 + 48000
    martinique = rows[("statut_particulier", "972R")]
    assert (martinique["departement"], martinique["region"]) == ("972", "02")
    for key in [("departement", c) for c in ("2A", "2B", "972")] + [
        ("region", c) for c in ("94", "02")
    ]:
        assert key not in rows
    # Mayotte and Guyane are absent from this upstream, so they are not invented.
    assert ("statut_particulier", "976R") not in rows


def test_paris_is_a_commune_only_and_alsace_replaces_67_68():
    """Ville de Paris is the commune 75056; the CEA (6AE) is the council of 67 and 68."""
    rows = _by_key(_records())
    assert ("departement", "75") not in rows
    assert rows[("commune", "75056")]["slug"] == "paris-75056"
    assert ("departement", "67") not in rows and ("departement", "68") not in rows
    alsace = rows[("statut_particulier", "6AE")]
    assert alsace["region"] == "44" and alsace["population"] == 290000 + 105000
    assert rows[("departement", "35")]["name"] == "Ille-et-Vilaine"
    assert rows[("region", "53")]["slug"] == "bretagne-53"


def test_slugs_are_unique():
    """Slugs are unique even if two rows share a name and a code."""
    upstream = synthetic_upstream()
    upstream["regions"].append({"code": "35", "nom": "Ille-et-Vilaine", "zone": "metro"})
    slugs = [row["slug"] for row in referential.build_records(**upstream)["collectivites"]]
    assert len(slugs) == len(set(slugs))
    assert "ille-et-vilaine-35-region" in slugs


def test_fixture_round_trip(tmp_path):
    """The compact fixture reads back to exactly the records it was written from."""
    records = _records()
    path = tmp_path / "referential.json.gz"
    referential.write_fixture(path, records, "test")
    assert referential.read_fixture(path) == records


def test_counts_by_kind():
    """Each upstream entity yields at most one collectivité, of the expected kind."""
    kinds = Counter(row["kind"] for row in _records()["collectivites"])
    assert kinds == {
        "commune": 14,
        "metropole": 3,
        "cc": 2,
        "ca": 3,
        "cu": 1,
        "ept": 1,
        "departement": 3,  # 35, 69 and 93.
        "region": 4,  # 11, 44, 53, 84.
        "statut_particulier": 4,  # Corse, Martinique, Lyon, Alsace.
    }
