"""The anonymous page cache: served for cookie-less GETs, invalidated by any public change."""

import pytest
from django.urls import reverse

from tests.factories import UseCaseFactory, moderator
from usecases.models import KeyFigure
from usecases.services import use_case_archive, use_case_publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.COUNTS_CACHE_SECONDS = 300


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return UseCaseFactory(published=True, title="Détecter les fuites d’eau")


def test_second_anonymous_request_is_served_from_the_cache(
    client, published, django_assert_num_queries
):
    url = reverse("usecases:list")
    first = client.get(url)
    with django_assert_num_queries(1):  # The catalogue version, nothing else.
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "usecases:list",
        "usecases:detail",
        "usecases:theme",
        "reviews:history",
        "widget:embed",
    ],
)
def test_each_cached_page(client, published, django_assert_num_queries, name):
    kwargs = {
        "detail": {"slug": published.slug},
        "history": {"slug": published.slug},
        "theme": {"slug": published.theme.slug},
    }
    url = reverse(name, kwargs=kwargs.get(name.split(":")[-1]))
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_the_key_is_the_full_url(client, published):
    client.get(reverse("usecases:list"))
    response = client.get(reverse("usecases:list"), {"q": "rien-de-tel"})
    assert "Aucun cas d’usage" in response.content.decode()


def test_a_request_with_cookies_is_never_served_nor_stored(
    client, published, django_assert_max_num_queries
):
    url = reverse("usecases:list")
    client.cookies["sessionid"] = "x"
    client.get(url)
    with django_assert_max_num_queries(20) as context:
        client.get(url)
    assert len(context.captured_queries) > 1


def test_publishing_invalidates(client, published, django_capture_on_commit_callbacks):
    url = reverse("usecases:list")
    assert "Optimiser les tournées" not in client.get(url).content.decode()
    draft = UseCaseFactory(title="Optimiser les tournées", status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        use_case_publish(use_case=draft, moderator=moderator())
    assert "Optimiser les tournées" in client.get(url).content.decode()


def test_a_confirmation_invalidates_the_history(
    client, published, django_capture_on_commit_callbacks
):
    from reviews.services import confirm_still_current

    url = reverse("reviews:history", kwargs={"slug": published.slug})
    assert "Informations confirmées à jour" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        confirm_still_current(use_case=published, by=moderator())
    assert "Informations confirmées à jour" in client.get(url).content.decode()


def test_archiving_invalidates_the_sheet(client, published, django_capture_on_commit_callbacks):
    url = published.get_absolute_url()
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        use_case_archive(use_case=published, moderator=moderator(), message="Fini")
    assert client.get(url).status_code == 404


def test_an_edit_through_the_orm_invalidates(client, published, django_capture_on_commit_callbacks):
    url = published.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        KeyFigure.objects.create(use_case=published, value="12 fuites", label="en deux semaines")
    assert "12 fuites" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        published.title = "Un titre revu"
        published.save()
    assert "Un titre revu" in client.get(url).content.decode()


def test_error_pages_and_other_views_are_not_cached(
    client, published, django_assert_max_num_queries
):
    assert client.get(reverse("usecases:list"), {"page": "99"}).status_code == 404
    response = client.get(reverse("usecases:list"), {"page": "99"})
    assert response.status_code == 404
    # Rendered again: a stored page comes back without a template and with its age.
    assert response.templates and not response.has_header("Age")
    api = reverse("api:usecase-list")
    client.get(api)
    with django_assert_max_num_queries(20) as context:
        client.get(api)
    assert len(context.captured_queries) > 1


def test_off_when_the_setting_is_zero(client, published, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("usecases:list")
    client.get(url)
    with django_assert_max_num_queries(20) as context:
        client.get(url)
    assert len(context.captured_queries) > 1


def test_home_figures_follow_the_catalogue(client, published, django_capture_on_commit_callbacks):
    settings_page = reverse("home")
    assert "<strong>1</strong> cas d’usage publié<" in client.get(settings_page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        UseCaseFactory(published=True)
    assert "<strong>2</strong> cas d’usage publiés" in client.get(settings_page).content.decode()


def test_head_is_answered_from_the_stored_get(client, published, django_assert_num_queries):
    url = reverse("usecases:list")
    client.get(url)
    with django_assert_num_queries(1):  # The catalogue version.
        response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


def test_stored_pages_say_how_long_they_may_be_kept(client, published):
    url = reverse("usecases:list")
    first = client.get(url)
    assert "max-age=300" in first["Cache-Control"]
    assert first.has_header("Expires")
    second = client.get(url)
    assert second.has_header("Age")
    assert second["Vary"] == first["Vary"]


def test_pages_are_keyed_by_language_not_by_accept_language(client, published):
    """Django keys pages by the active language (the site has one), not by each browser's
    Accept-Language, which the page varies on: one stored page serves them all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("usecases:list")
    assert "Accept-Language" in client.get(url, headers={"Accept-Language": "fr"})["Vary"]
    for language in ("fr-FR,fr;q=0.9", "de", "en-GB,en;q=0.5"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, headers={"Accept-Language": language}).status_code == 200
        assert len(queries) == 1, language  # The catalogue version.


def test_a_catalogue_version_never_comes_back(django_capture_on_commit_callbacks):
    """The version is the time of the change: a fresh or restored database never reuses a
    version, hence a cache key, of other content; a clock gone back still moves it forward."""
    import time

    from usecases.models import CatalogueVersion
    from usecases.pagecache import bump_catalogue_version, catalogue_version

    with django_capture_on_commit_callbacks(execute=True):
        bump_catalogue_version()
    first = catalogue_version()
    assert abs(first - time.time_ns() // 1000) < 60 * 10**6
    CatalogueVersion.objects.update(value=first + 10**12)  # As if the clock had gone back.
    with django_capture_on_commit_callbacks(execute=True):
        bump_catalogue_version()
    assert catalogue_version() == first + 10**12 + 1
