"""Dates in words write the first of the month as an ordinal (« 1er décembre »), everywhere."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db

FIRST = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))


def test_sheet_dates_on_the_first_of_the_month(client):
    with time_machine.travel(FIRST, tick=False):
        use_case = UseCaseFactory(published=True)
        page = client.get(use_case.get_absolute_url()).content.decode()
    assert "Publié le 1er décembre 2026" in page
    assert "1 décembre" not in page


def test_open_data_citation_date_on_the_first_of_the_month(client):
    with time_machine.travel(FIRST, tick=False):
        page = client.get(reverse("opendata:index")).content.decode()
    assert "données du 1er décembre 2026" in page
