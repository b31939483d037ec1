"""seed_demo gives the mutualisation criteria realistic, deterministic, removable data."""

import pytest
from django.core.management import call_command
from django.db.models import F

from tests.mutualisation.factories import SolutionFactory
from tests.usecases.test_seed_demo import referential, seed  # noqa: F401 (fixture)
from usecases.models import UseCase
from usecases.mutualisation.models import ReuseDeclaration, Solution

pytestmark = pytest.mark.django_db


def mutualisation_snapshot():
    links = Solution.use_cases.through.objects.values_list("usecase__slug", "solution__slug")
    declarations = ReuseDeclaration.objects.values_list(
        "use_case__slug", "collectivite__slug", "kind", "year", "solution__slug"
    )
    return sorted(links), sorted(declarations, key=str)


def test_demo_cases_name_solutions_and_are_declared_reused(referential):  # noqa: F811
    seed(200, 4)
    demo = UseCase.objects.filter(is_demo=True)
    assert Solution.objects.filter(is_demo=True).count() == 300
    linked = demo.filter(solutions__isnull=False).distinct().count()
    assert 110 <= linked <= 170  # about seven in ten
    declarations = ReuseDeclaration.objects.filter(is_demo=True)
    assert declarations.exists()
    assert not declarations.filter(collectivite=F("use_case__collectivite")).exists()
    first = mutualisation_snapshot()
    seed(200, 4, "--force")
    assert mutualisation_snapshot() == first


def test_delete_removes_demo_solutions_and_declarations_only(referential):  # noqa: F811
    real = SolutionFactory(name="Leakmited")
    seed(50, 2)
    call_command("seed_demo", "--delete", "--i-know-this-is-demo-data")
    assert list(Solution.objects.all()) == [real]
    assert not ReuseDeclaration.objects.exists()
