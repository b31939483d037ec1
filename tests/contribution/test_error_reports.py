import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from tests.factories import UseCaseFactory
from usecases.models import ErrorReport

pytestmark = pytest.mark.django_db


def started(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago)


def test_published_sheet_links_to_the_report_form(client):
    use_case = UseCaseFactory(published=True)
    content = client.get(use_case.get_absolute_url()).content.decode()
    assert reverse("usecases:report", args=[use_case.slug]) in content


def test_report_reaches_the_moderators(client, mod, django_capture_on_commit_callbacks):
    use_case = UseCaseFactory(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("usecases:report", args=[use_case.slug]),
            {"message": "Le chiffre de 2024 est faux.", "email": "", "started": started()},
        )
    assert response.status_code == 302
    assert ErrorReport.objects.get().message == "Le chiffre de 2024 est faux."
    assert mail.outbox[0].to == [mod.email]


@pytest.mark.parametrize(
    "extra",
    [{"website": "https://spam.example"}, {"started": "falsifié"}],
)
def test_robots_are_turned_away(client, extra):
    use_case = UseCaseFactory(published=True)
    response = client.post(
        reverse("usecases:report", args=[use_case.slug]),
        {"message": "Spam", "started": started(), **extra},
    )
    assert response.status_code == 400
    assert not ErrorReport.objects.exists()


def test_too_fast_is_refused(client):
    use_case = UseCaseFactory(published=True)
    response = client.post(
        reverse("usecases:report", args=[use_case.slug]),
        {"message": "Trop vite", "started": started(0)},
    )
    assert response.status_code == 400
    assert "trop rapide" in response.content.decode()


def test_reports_are_rate_limited(client, settings):
    use_case = UseCaseFactory(published=True)
    url = reverse("usecases:report", args=[use_case.slug])
    codes = [
        client.post(url, {"message": f"Message {n}", "started": started()}).status_code
        for n in range(settings.ERROR_REPORTS_PER_HOUR + 1)
    ]
    assert codes[:-1] == [302] * settings.ERROR_REPORTS_PER_HOUR
    assert codes[-1] == 429
    assert ErrorReport.objects.count() == settings.ERROR_REPORTS_PER_HOUR


def test_no_report_on_unpublished_sheets(client):
    use_case = UseCaseFactory(status="draft")
    assert client.get(reverse("usecases:report", args=[use_case.slug])).status_code == 404
