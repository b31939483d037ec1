import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import CollectiviteFactory, ResourceFactory, UseCaseFactory
from usecases.choices import Status
from usecases.exports import use_case_record
from usecases.models import UseCase, UseCaseSlugHistory

pytestmark = pytest.mark.django_db


def public_records():
    queryset = UseCase.objects.published().with_public_record_data().order_by("slug")
    return {
        record["slug"]: {key: value for key, value in record.items() if key != "id"}
        for record in (use_case_record(use_case) for use_case in queryset)
    }


@pytest.fixture
def catalogue(rich_case):
    rename_me = UseCaseFactory(published=True, slug="ancien", stage="stopped", end_year=2025)
    rename_me.slug = "nouveau"
    rename_me.save()
    other = UseCaseFactory(published=True, tags=["mobilité"], techniques=["ia-generative"])
    ResourceFactory(use_case=other, title="Code", kind="source_code", url="https://git.example/x")
    UseCaseFactory(status=Status.DRAFT, title="Brouillon non exporté")
    return rich_case


def export(tmp_path):
    path = tmp_path / "catalogue.json"
    call_command("export_catalogue", output=str(path), verbosity=0)
    return path


def test_export_holds_published_cases_and_their_references(tmp_path, catalogue):
    data = json.loads(export(tmp_path).read_text(encoding="utf-8"))
    assert data["format"] == "bibliotheque-ia-territoriales/catalogue"
    assert len(data["use_cases"]) == 3
    record = next(item for item in data["use_cases"] if item["slug"] == catalogue.slug)
    references = record["references"]
    assert references["collectivite"]["kind"] == "commune"
    assert references["collectivite"]["code"] == catalogue.collectivite.code
    assert references["key_figures"] == [
        {"value": "12 %", "unit": "", "label": "de pertes en moins"}
    ]
    assert references["resources"][0]["url"] == "https://example.org/delib"
    renamed = next(item for item in data["use_cases"] if item["slug"] == "nouveau")
    assert renamed["references"]["former_slugs"] == ["ancien"]
    assert "Brouillon non exporté" not in json.dumps(data, ensure_ascii=False)


def test_round_trip_restores_every_public_field(tmp_path, catalogue):
    """Export, delete the cases, import: the same cases with the same values come back."""
    before = public_records()
    path = export(tmp_path)
    UseCase.objects.all().delete()
    call_command("import_catalogue", str(path), verbosity=0)
    assert UseCase.objects.count() == 3
    assert public_records() == before
    assert UseCaseSlugHistory.objects.get(old_slug="ancien").use_case.slug == "nouveau"
    # The search index is rebuilt.
    assert list(UseCase.objects.search("fuites").values_list("slug", flat=True)) == [catalogue.slug]


def test_import_is_idempotent(tmp_path, catalogue):
    """Importing twice changes nothing and creates no duplicate."""
    before = public_records()
    path = export(tmp_path)
    call_command("import_catalogue", str(path), verbosity=0)
    call_command("import_catalogue", str(path), verbosity=0)
    assert UseCase.objects.published().count() == 3
    assert public_records() == before


def test_import_needs_the_referential(tmp_path, catalogue):
    """An unknown collectivité aborts the whole import: nothing is written."""
    path = export(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["use_cases"][-1]["references"]["collectivite"]["code"] = "99999"
    path.write_text(json.dumps(data), encoding="utf-8")
    UseCase.objects.all().delete()
    with pytest.raises(CommandError, match="Unknown collectivité"):
        call_command("import_catalogue", str(path), verbosity=0)
    assert not UseCase.objects.exists()


def test_import_rejects_other_files(tmp_path):
    path = tmp_path / "autre.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    with pytest.raises(CommandError, match="Not a catalogue dump"):
        call_command("import_catalogue", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_catalogue", str(tmp_path / "absent.json"))


def test_export_to_stdout_and_collectivite_without_code(capsys, tmp_path):
    """A body outside the referential (no code) is referenced by its slug."""
    syndicat = CollectiviteFactory(name="Syndicat des eaux", kind="autre", code="")
    UseCaseFactory(published=True, collectivite=syndicat)
    call_command("export_catalogue")
    data = json.loads(capsys.readouterr().out)
    assert data["use_cases"][0]["references"]["collectivite"]["slug"] == syndicat.slug
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    UseCase.objects.all().delete()
    call_command("import_catalogue", str(path), verbosity=0)
    assert UseCase.objects.get().collectivite == syndicat
