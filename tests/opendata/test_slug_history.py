import pytest

from tests.factories import UseCaseFactory
from usecases.choices import Status
from usecases.models import UseCaseSlugHistory

pytestmark = pytest.mark.django_db


def rename(use_case, slug):
    use_case.slug = slug
    use_case.save()


def test_renaming_a_published_case_records_its_former_slug():
    use_case = UseCaseFactory(published=True, slug="premier")
    rename(use_case, "second")
    assert list(UseCaseSlugHistory.objects.values_list("old_slug", "use_case")) == [
        ("premier", use_case.pk)
    ]


def test_renaming_a_never_published_draft_records_nothing():
    """A draft's URL was never public: nothing to keep."""
    use_case = UseCaseFactory(status=Status.DRAFT, slug="brouillon")
    rename(use_case, "brouillon-renomme")
    assert not UseCaseSlugHistory.objects.exists()


def test_saving_without_slug_change_records_nothing():
    use_case = UseCaseFactory(published=True)
    use_case.title = "Un autre titre"
    use_case.save()
    use_case.save(update_fields=["title"])
    assert not UseCaseSlugHistory.objects.exists()


def test_going_back_to_a_former_slug_removes_it_from_the_history():
    """A → B → A: A is live again, B is now the former slug."""
    use_case = UseCaseFactory(published=True, slug="a")
    rename(use_case, "b")
    rename(use_case, "a")
    assert list(UseCaseSlugHistory.objects.values_list("old_slug", flat=True)) == ["b"]


def test_every_former_slug_redirects_to_the_current_sheet(client):
    """A → B → C: both A and B answer 301 to C's sheet."""
    use_case = UseCaseFactory(published=True, slug="a")
    rename(use_case, "b")
    rename(use_case, "c")
    for old in ("a", "b"):
        response = client.get(f"/cas-d-usage/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/cas-d-usage/c/"
    assert client.get("/cas-d-usage/c/").status_code == 200


def test_former_slug_of_an_unpublished_case_is_404(client):
    """Once archived, a case answers 404 at its current and former slugs alike."""
    use_case = UseCaseFactory(published=True, slug="a")
    rename(use_case, "b")
    use_case.status = Status.ARCHIVED
    use_case.save()
    assert client.get("/cas-d-usage/a/").status_code == 404
    assert client.get("/cas-d-usage/b/").status_code == 404


def test_unknown_slug_is_still_404(client):
    assert client.get("/cas-d-usage/jamais-vu/").status_code == 404


def test_a_live_slug_wins_over_a_former_one(client):
    """If another case takes a former slug, its own sheet is shown."""
    first = UseCaseFactory(published=True, slug="partage")
    rename(first, "premier")
    second = UseCaseFactory(published=True, slug="partage")
    response = client.get("/cas-d-usage/partage/")
    assert response.status_code == 200
    assert response.context["use_case"] == second
