"""The ``import_collectivites`` command: synthetic upstream, idempotence and the real fixture."""

from io import StringIO

import pytest
from django.core.management import call_command

from bibliotheque.text import normalize
from collectivites.models import Collectivite, Departement, Region
from usecases.pagecache import catalogue_version

from .test_referential import synthetic_upstream, write_upstream


def _import(*args):
    output = StringIO()
    call_command("import_collectivites", *args, stdout=output)
    return output.getvalue()


def _counts():
    return (Region.objects.count(), Departement.objects.count(), Collectivite.objects.count())


@pytest.mark.django_db
def test_import_from_upstream_directory(tmp_path):
    """--source reads the upstream JSON: geography, kinds, codes, slugs and EPCI links."""
    output = _import("--source", str(write_upstream(tmp_path / "data")))
    assert _counts() == (6, 9, 35)
    assert "collectivités: 35 created, 0 updated" in output
    rennes = Collectivite.objects.get(kind="commune", code="35238")
    assert rennes.slug == "rennes-35238"
    assert rennes.search_name == "rennes"
    assert rennes.epci.code == "243500139" and rennes.epci.kind == "metropole"
    assert rennes.departement.code == "35" and rennes.region.name == "Bretagne"
    assert Collectivite.objects.get(code="200057867").kind == "ept"
    assert Collectivite.objects.get(code="20R").kind == "statut_particulier"
    assert Collectivite.objects.get(code="69M").siren == "200046977"
    assert Departement.objects.get(code="2A").region.code == "94"


@pytest.mark.django_db
def test_import_excludes_communes_deleguees(tmp_path):
    """Communes déléguées/associées and arrondissements municipaux are not imported."""
    _import("--source", str(write_upstream(tmp_path / "data")))
    assert not Collectivite.objects.filter(code__in=["35999", "35998", "69381"]).exists()
    assert Collectivite.objects.filter(kind="commune").count() == 14


@pytest.mark.django_db
def test_import_is_idempotent_and_updates_changes(tmp_path):
    """A re-run creates nothing, updates a renamed row in place and keeps its slug."""
    data_dir = write_upstream(tmp_path / "data")
    _import("--source", str(data_dir))
    before = _counts()
    output = _import("--source", str(data_dir))
    assert _counts() == before
    assert "collectivités: 0 created, 0 updated" in output

    upstream = synthetic_upstream()
    upstream["communes"][0]["nom"] = "Rennes-sur-Vilaine"
    upstream["epci"][0]["membres"].pop(0)  # Cesson-Sévigné leaves Rennes Métropole.
    output = _import("--source", str(write_upstream(data_dir, upstream)))
    assert _counts() == before
    assert "collectivités: 0 created, 1 updated" in output
    rennes = Collectivite.objects.get(kind="commune", code="35238")
    assert rennes.name == "Rennes-sur-Vilaine"
    assert rennes.search_name == normalize("Rennes-sur-Vilaine")
    assert rennes.slug == "rennes-35238"
    assert Collectivite.objects.get(code="35051").epci is None


@pytest.mark.django_db
def test_import_changes_the_catalogue_version(tmp_path, django_capture_on_commit_callbacks):
    """Names and régions show on cached pages and in the catalogue's filter choices."""
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        _import("--source", str(write_upstream(tmp_path / "data")))
    assert catalogue_version() > before


@pytest.mark.django_db
def test_rows_removed_upstream_are_kept_and_reported(tmp_path):
    """A collectivité that vanished upstream is not deleted, only listed in the output."""
    data_dir = write_upstream(tmp_path / "data")
    _import("--source", str(data_dir))
    upstream = synthetic_upstream()
    upstream["communes"] = [c for c in upstream["communes"] if c["code"] != "35001"]
    output = _import("--source", str(write_upstream(data_dir, upstream)))
    assert Collectivite.objects.filter(kind="commune", code="35001").exists()
    assert "collectivités: 1 absent from the referential, kept" in output
    assert "('commune', '35001')" in output


@pytest.mark.django_db
def test_import_does_not_reuse_a_taken_slug(tmp_path):
    """A hand-made row holding a computed slug gets the new row a suffixed slug instead."""
    Collectivite.objects.create(name="Syndicat", slug="rennes-35238", kind="autre")
    _import("--source", str(write_upstream(tmp_path / "data")))
    assert Collectivite.objects.get(kind="commune", code="35238").slug == "rennes-35238-commune"


@pytest.mark.django_db
def test_import_the_shipped_fixture():
    """The shipped 2026 fixture holds 36,347 collectivités and the well-known rows."""
    _import("--verbosity", "0")
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert Collectivite.objects.count() == 36_347
    assert Collectivite.objects.filter(kind="commune").count() == 34_969
    # 1,255 upstream EPCI: 1,254 EPCI à fiscalité propre plus the Métropole de Lyon.
    assert Collectivite.objects.epcis().count() == 1_254
    assert Collectivite.objects.filter(kind="ept").count() == 11
    assert Collectivite.objects.filter(kind="departement").count() == 93
    assert Collectivite.objects.filter(kind="region").count() == 14
    assert Collectivite.objects.filter(kind="statut_particulier").count() == 6
    rennes = Collectivite.objects.get(kind="commune", code="35238")
    assert rennes.epci.name == "Rennes Métropole"
    assert Collectivite.objects.get(siren="243100633").kind == "ca"
    corse = Collectivite.objects.get(name="Collectivité de Corse")
    assert corse.kind == "statut_particulier"
    assert not Collectivite.objects.filter(kind="departement", code__in=["2A", "75"]).exists()
