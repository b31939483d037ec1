"""The `load_use_cases` command on the real fixture of published use cases."""

import gzip
import importlib
import json
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from collectivites.choices import Kind
from collectivites.models import Collectivite, Departement, Region
from usecases.choices import ResourceKind, Status
from usecases.models import KeyFigure, Resource, Theme, UseCase

FIXTURE = settings.BASE_DIR / "fixtures" / "use_cases.json"
CHAMONIX = "chamonix-campagne-marketing-ia-generative"


def fixture_cases():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def referenced_collectivites():
    """The (kind, code) identities the fixture points to, leads and partners alike."""
    refs = set()
    for case in fixture_cases():
        for ref in [case["collectivite"], *case["partners"]]:
            if ref["kind"] != Kind.OTHER:
                refs.add((ref["kind"], ref["code"]))
    return refs


def create_referential(skip=()):
    """Create the collectivités of the fixture directly, as the referential import would."""
    departements = {
        ref["departement"]
        for case in fixture_cases()
        for ref in [case["collectivite"], *case["partners"]]
        if ref.get("departement")
    }
    for code in departements:
        region = Region.objects.create(code=f"r{code}", name=f"Région de {code}")
        Departement.objects.create(code=code, name=f"Département {code}", region=region)
    for kind, code in referenced_collectivites():
        if (kind, code) in skip:
            continue
        Collectivite.objects.create(
            kind=kind, code=code, name=f"{kind} {code}", slug=slugify(f"{kind}-{code}")
        )


def load(*args):
    out = StringIO()
    call_command("load_use_cases", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "use_cases": UseCase.objects.count(),
        "resources": Resource.objects.count(),
        "key_figures": KeyFigure.objects.count(),
        "tags": Tag.objects.count(),
        "tagged_items": TaggedItem.objects.count(),
        "collectivites": Collectivite.objects.count(),
        "partners": UseCase.partners.through.objects.count(),
        "techniques": UseCase.techniques.through.objects.count(),
    }


@pytest.fixture
def loaded(db):
    create_referential()
    load()


def test_fixture_texts_fit_the_model():
    """Every title is at most 150 characters and every summary at most 300."""
    for case in fixture_cases():
        assert len(case["title"]) <= 150, case["slug"]
        assert len(case["summary"]) <= 300, case["slug"]


@pytest.mark.django_db
def test_loads_at_least_24_published_cases(loaded):
    """The fixture yields at least 24 cases, all published with a publication date."""
    assert UseCase.objects.count() == len(fixture_cases()) >= 24
    assert UseCase.objects.published().count() == UseCase.objects.count()
    assert not UseCase.objects.filter(published_at__isnull=True).exists()
    assert not UseCase.objects.exclude(status=Status.PUBLISHED).exists()


@pytest.mark.django_db
def test_each_case_has_a_theme_and_an_article(loaded):
    """Each case has a theme and cites at least one source of kind article."""
    for use_case in UseCase.objects.all():
        assert use_case.theme_id, use_case.slug
        assert use_case.resources.filter(kind=ResourceKind.ARTICLE).exists(), use_case.slug


@pytest.mark.django_db
def test_each_theme_has_a_case(loaded):
    """None of the six themes is left empty."""
    assert Theme.objects.count() == 6
    for theme in Theme.objects.all():
        assert theme.use_cases.exists(), theme.slug


@pytest.mark.django_db
def test_texts_fit_in_the_database(loaded):
    """Stored titles and summaries respect the catalogue limits."""
    for use_case in UseCase.objects.all():
        assert len(use_case.title) <= 150
        assert len(use_case.summary) <= 300


@pytest.mark.django_db
def test_references_are_resolved(loaded):
    """Leads, partners, tags and key figures come out of the fixture as written."""
    arnia = UseCase.objects.get(slug__startswith="arnia-experimentation-ia")
    assert arnia.collectivite.kind == Kind.OTHER
    assert arnia.collectivite.slug == "arnia"
    assert arnia.partners.count() == 9
    sicoval = UseCase.objects.get(slug="sicoval-detection-fuites-eau-potable")
    assert sicoval.collectivite.code == "243100633"
    expected_tags = {"eau potable", "fuites", "réseaux", "maintenance prédictive"}
    assert set(sicoval.tags.names()) == expected_tags
    assert sicoval.key_figures.first().value == "12 fuites"
    assert UseCase.objects.search("fuites").filter(pk=sicoval.pk).exists()


@pytest.mark.django_db
def test_loading_twice_changes_nothing(loaded):
    """A second run updates in place: same numbers of cases, resources, figures and tags."""
    before = counts()
    published = dict(UseCase.objects.values_list("slug", "published_at"))
    load()
    assert counts() == before
    assert dict(UseCase.objects.values_list("slug", "published_at")) == published
    assert Collectivite.objects.filter(kind=Kind.OTHER, name="Numérian").count() == 1
    mdph = Collectivite.objects.get(kind=Kind.OTHER, name="MDPH de la Seine-Maritime")
    assert mdph.departement.code == "76"
    assert mdph.region == mdph.departement.region


@pytest.mark.django_db
def test_missing_collectivite_is_an_error():
    """Without the referential the command fails, names the import command and writes nothing."""
    missing = ("ca", "243100633")
    create_referential(skip={missing})
    with pytest.raises(CommandError) as excinfo:
        load()
    message = str(excinfo.value)
    assert "sicoval-detection-fuites-eau-potable" in message
    assert "import_collectivites" in message
    assert UseCase.objects.count() == 0
    assert not Collectivite.objects.filter(kind=Kind.OTHER).exists()


@pytest.mark.django_db
def test_invalid_case_is_reported_with_its_slug(tmp_path):
    """A value the model refuses is reported with the slug of the faulty case."""
    create_referential()
    cases = fixture_cases()[:2]
    cases[1]["stage"] = "someday"
    path = tmp_path / "use_cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        load(str(path))
    assert cases[1]["slug"] in str(excinfo.value)
    assert "stage" in str(excinfo.value)
    assert UseCase.objects.count() == 0


# The catalogue of real cases: checked against the real referential file, not
# against collectivités the tests create from the fixture itself.

REFERENTIAL = settings.BASE_DIR / "fixtures" / "collectivites-2026.json.gz"
THEME_SLUGS = {
    slug
    for slug, _name, _description in importlib.import_module(
        "usecases.migrations.0002_reference_data"
    ).THEMES
}


def referential_identities():
    """(kind, code) of every collectivité of the shipped referential, and its départements."""
    data = json.loads(gzip.decompress(REFERENTIAL.read_bytes()))
    kind, code = data["fields"].index("kind"), data["fields"].index("code")
    identities = {(row[kind], row[code]) for row in data["collectivites"]}
    return identities, {row[0] for row in data["departements"]}


def test_every_fixture_case_is_anchored_in_the_referential_and_sourced():
    """Leads and partners resolve by official code, each case cites a source, themes are the six."""
    identities, departements = referential_identities()
    assert len(THEME_SLUGS) == 6
    for case in fixture_cases():
        for ref in [case["collectivite"], *case["partners"]]:
            if ref["kind"] == Kind.OTHER:
                # Public bodies outside the referential (OPSN, MDPH, syndicats) go by name.
                assert ref["name"].strip() and not ref.get("code"), case["slug"]
                assert ref.get("departement", "01") in departements, case["slug"]
            else:
                assert (ref["kind"], ref["code"]) in identities, (case["slug"], ref)
        assert case["theme"] in THEME_SLUGS, case["slug"]
        sources = [resource for resource in case["resources"] if resource.get("url")]
        assert sources, case["slug"]
        assert all(source["url"].startswith("https://") for source in sources), case["slug"]


def test_fixture_covers_the_catalogue_the_issue_asks_for():
    """53 real cases: ≥ 8 Mobilités, ≥ 7 Attractivité, 3 stopped ones saying what went wrong."""
    cases = fixture_cases()
    themes = Counter(case["theme"] for case in cases)
    assert len(cases) == 53
    assert themes["mobilites"] >= 8
    assert themes["attractivite-et-amenagement"] >= 7
    stopped = [case for case in cases if case["stage"] == "stopped"]
    assert len(stopped) == 3
    for case in stopped:
        assert case["end_year"], case["slug"]
        assert "Ce qui n’a pas fonctionné" in case["lessons_learned"], case["slug"]


def test_fixture_dates_are_consistent():
    """A sheet is updated after it is published, and never dated in the future of the catalogue."""
    for case in fixture_cases():
        published = date.fromisoformat(case["published_at"])
        updated = date.fromisoformat(case.get("updated_at") or case["published_at"])
        assert published <= updated <= date(2026, 12, 2), case["slug"]


@pytest.mark.django_db
def test_second_load_reports_every_case_unchanged(loaded):
    """The report counts what was written: a second run writes nothing, dates included."""
    from usecases.models import CatalogueVersion

    dates = dict(UseCase.objects.values_list("slug", "updated_at"))
    version = CatalogueVersion.objects.values_list("value", flat=True).first()
    out = load()
    assert f"0 créés, 0 mis à jour, {len(fixture_cases())} inchangés" in out
    assert dict(UseCase.objects.values_list("slug", "updated_at")) == dates
    assert CatalogueVersion.objects.values_list("value", flat=True).first() == version


@pytest.mark.django_db
def test_update_dates_come_from_the_file(loaded):
    """The update date is the one written in the file (or the publication date), not today."""
    for case in fixture_cases():
        stored = UseCase.objects.get(slug=case["slug"])
        expected = case.get("updated_at") or case["published_at"]
        assert stored.updated_at.astimezone().date().isoformat() == expected, case["slug"]


@pytest.mark.django_db
def test_a_changed_case_is_reported_as_updated(loaded, tmp_path):
    cases = fixture_cases()
    cases[0]["results"] = "Nouveaux résultats publiés."
    path = tmp_path / "use_cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    out = load(str(path))
    assert f"0 créés, 1 mis à jour, {len(cases) - 1} inchangés" in out
    assert UseCase.objects.get(slug=cases[0]["slug"]).results == "Nouveaux résultats publiés."


@pytest.mark.django_db
def test_tags_keep_the_spelling_of_the_file(db):
    """A tag stored in lower case takes the file's spelling: « IA générative »."""
    Tag.objects.create(name="ia générative", slug="ia-generative")
    create_referential()
    load()
    assert Tag.objects.filter(name__iexact="ia générative").count() == 1
    assert Tag.objects.get(slug="ia-generative").name == "IA générative"
    assert "IA générative" in UseCase.objects.get(slug=CHAMONIX).tags.names()


@pytest.mark.django_db
def test_unknown_facts_stay_empty(loaded):
    """Start year, build mode and hosting are left « non renseigné » when no source gives them."""
    loire = UseCase.objects.get(slug="haute-loire-cameras-comptage-velos")
    assert loire.start_year is None
    fecamp = UseCase.objects.get(slug="fecamp-capteurs-trafic-routier")
    assert fecamp.build_mode == ""
    assert fecamp.hosting == "unknown"


@pytest.mark.django_db
def test_loaded_fixture_validates_against_the_table_schema(loaded, client, tmp_path):
    """The open-data CSV of the whole catalogue passes frictionless with our Table Schema."""
    from frictionless import Resource as TableResource
    from frictionless import Schema

    from usecases import exports

    response = client.get("/donnees/cas-d-usage.csv")
    path = tmp_path / "cas-d-usage.csv"
    path.write_bytes(b"".join(response.streaming_content))
    schema = Schema.from_descriptor(exports.load_schema())
    report = TableResource(path=path.name, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == len(fixture_cases())


def test_launch_sheets_no_longer_guess():
    """The facts of the launch sheets that no source gave stay empty: nothing is guessed."""
    cases = {case["slug"]: case for case in fixture_cases()}
    unsourced_years = [
        "aix-marseille-provence-callbot-encombrants",
        "metropole-de-lyon-ia-administration-interne",
        "sicoval-ia-administration-interne",
        "sicoval-cartographie-parkings-ombrieres",
        "aix-marseille-provence-tri-signalements-photos",
        "porto-vecchio-conteneurs-connectes-collecte",
        "suresnes-comptes-rendus-reunion-ia",
        "nice-cote-d-azur-assistant-delegations-signature",
        "cote-d-or-infrastructure-souveraine-donnees-ia",
    ]
    assert all(cases[slug]["start_year"] is None for slug in unsourced_years)
    assert cases["chartres-clia-standard-telephonique"]["build_mode"] == "vendor"
    assert "Yelda" in cases["chartres-clia-standard-telephonique"]["vendor"]
    assert "Hivenet" in cases["cote-d-or-infrastructure-souveraine-donnees-ia"]["vendor"]
    saint_genis = cases["saint-genis-laval-site-internet-ia-generative"]
    assert saint_genis["hosting"] == "saas"
    assert saint_genis["hosting_data_in_eu"] == ""


@pytest.mark.django_db
def test_every_fixture_sheet_renders_with_french_typography(loaded, client):
    """Each real sheet answers, shows its texts with French spaces and « Non renseigné » gaps."""
    from django.utils.html import escape

    from bibliotheque.typography import french

    for case in fixture_cases():
        response = client.get(f"/cas-d-usage/{case['slug']}/")
        assert response.status_code == 200, case["slug"]
        content = response.content.decode()
        for field in ("title", "summary"):
            assert escape(french(case[field])) in content, (case["slug"], field)
        for figure in case["key_figures"]:
            assert escape(french(figure["label"])) in content, case["slug"]
        if case["start_year"] is None:
            assert "<dt>Début</dt><dd>Non renseigné</dd>" in content, case["slug"]
        if not case["build_mode"]:
            assert "<dt>Mode de réalisation</dt><dd>Non renseigné</dd>" in content, case["slug"]
