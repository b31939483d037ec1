"""The `load_use_cases` command on the real fixture of published use cases."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from collectivites.choices import Kind
from collectivites.models import Collectivite
from usecases.choices import ResourceKind, Status
from usecases.models import KeyFigure, Resource, Theme, UseCase

FIXTURE = settings.BASE_DIR / "fixtures" / "use_cases.json"


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
