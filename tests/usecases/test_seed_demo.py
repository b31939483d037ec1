"""manage.py seed_demo: deterministic demo cases, kept apart from real data."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from taggit.models import Tag

from collectivites.choices import Kind
from tests.factories import CollectiviteFactory, UseCaseFactory
from usecases.demo import Generator, tag_vocabulary
from usecases.dump import dump_catalogue
from usecases.models import KeyFigure, Resource, UseCase
from usecases.pagecache import catalogue_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def referential():
    kinds = [Kind.COMMUNE] * 6 + [Kind.CA, Kind.METROPOLE, Kind.DEPARTEMENT, Kind.REGION]
    return [
        CollectiviteFactory(kind=kind, population=1000 * (i + 1)) for i, kind in enumerate(kinds)
    ]


def seed(count=25, seed=7, *extra):
    call_command(
        "seed_demo", f"--use-cases={count}", f"--seed={seed}", "--i-know-this-is-demo-data", *extra
    )


def snapshot():
    """Everything a demo case holds, by slug, without database ids or timestamps of the run."""
    cases = UseCase.objects.filter(is_demo=True).prefetch_related(
        "tags", "techniques", "partners", "key_figures", "resources"
    )
    return {
        case.slug: (
            case.title,
            case.summary,
            case.need,
            case.solution,
            case.results,
            case.stage,
            case.start_year,
            case.hosting,
            case.build_mode,
            case.published_at,
            case.updated_at,
            case.collectivite.slug,
            case.theme.slug,
            case.search_keywords,
            case.search_text,
            sorted(tag.name for tag in case.tags.all()),
            sorted(t.slug for t in case.techniques.all()),
            sorted(p.slug for p in case.partners.all()),
            [(f.value, f.label) for f in case.key_figures.all()],
            [(r.title, r.kind, r.url) for r in case.resources.all()],
        )
        for case in cases
    }


def test_refuses_without_debug_or_explicit_flag(referential):
    with pytest.raises(CommandError, match="i-know-this-is-demo-data"):
        call_command("seed_demo", "--use-cases=3")
    assert not UseCase.objects.exists()


def test_refuses_without_the_referential():
    with pytest.raises(CommandError, match="import_collectivites"):
        seed(3)


def test_creates_published_demo_cases_with_their_relations(referential):
    seed(40, 3)
    cases = UseCase.objects.filter(is_demo=True)
    assert cases.count() == 40
    assert UseCase.objects.published().count() == 40
    assert all(slug.startswith("demo-s3-") for slug in cases.values_list("slug", flat=True))
    assert all(len(summary) <= 300 for summary in cases.values_list("summary", flat=True))
    assert all(len(title) <= 150 for title in cases.values_list("title", flat=True))
    assert all(need.count("\n\n") >= 1 for need in cases.values_list("need", flat=True))
    assert KeyFigure.objects.filter(use_case__in=cases).exists()
    assert Resource.objects.filter(use_case__in=cases).exists()
    assert UseCase.tags.through.objects.count() >= 80
    assert UseCase.techniques.through.objects.count() >= 40
    # Searchable on both databases.
    assert UseCase.objects.published().search("données").count() == 40
    if connection.vendor == "postgresql":
        assert not cases.filter(search_vector__isnull=True).exists()


def test_same_seed_same_data(referential):
    seed(30, 11)
    first = snapshot()
    seed(30, 11, "--force")
    assert snapshot() == first
    seed(30, 12)
    assert snapshot().keys().isdisjoint(first.keys())


def test_running_again_with_the_same_seed_changes_nothing(referential):
    seed(20, 5)
    pks = set(UseCase.objects.values_list("pk", flat=True))
    seed(20, 5)
    assert set(UseCase.objects.values_list("pk", flat=True)) == pks


def test_another_size_replaces_the_demo_set(referential):
    seed(20, 5)
    seed(12, 5)
    assert UseCase.objects.filter(is_demo=True).count() == 12


def test_delete_removes_demo_cases_only(referential):
    real = UseCaseFactory(published=True, tags=["eau"], title="Démo de la cantine")
    seed(15, 2)
    call_command("seed_demo", "--delete", "--i-know-this-is-demo-data")
    assert list(UseCase.objects.all()) == [real]
    assert list(real.tags.names()) == ["eau"]
    assert set(Tag.objects.values_list("name", flat=True)) == {"eau"}
    assert not KeyFigure.objects.exists() and not Resource.objects.exists()


def test_demo_cases_never_reach_the_catalogue_dump(referential):
    real = UseCaseFactory(published=True)
    seed(10, 2)
    assert [record["slug"] for record in dump_catalogue()["use_cases"]] == [real.slug]


def test_seeding_invalidates_cached_pages(referential, django_capture_on_commit_callbacks):
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        seed(5, 1)
    assert catalogue_version() > before


def test_generator_is_deterministic_and_skewed():
    collectivites = [(pk, "commune", 1000) for pk in range(1, 50)]
    first, again = Generator(9, collectivites), Generator(9, collectivites)
    first, again = [first.case(i) for i in range(300)], [again.case(i) for i in range(300)]
    assert first == again
    themes = [case.theme_slug for case in first]
    assert themes.count("transition-ecologique-et-energetique") > themes.count("mobilites")
    assert len(tag_vocabulary()) == 300
