"""The scheduler of the production stack: every periodic job is a real, idempotent command."""

from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import yaml
from django.conf import settings
from django.core.management import call_command, get_commands

from alerts.models import Subscription
from bibliotheque.management.commands.run_scheduler import build_scheduler, run_job
from bibliotheque.schedule import JOBS

PARIS = ZoneInfo("Europe/Paris")


def test_every_job_is_a_management_command():
    assert {job.command for job in JOBS} <= set(get_commands())
    assert {"purge_accounts", "purge_alerts", "send_alert_digests"} <= {job.command for job in JOBS}


def test_jobs_are_scheduled_in_the_site_time_zone():
    scheduler = build_scheduler()
    assert sorted(job.id for job in scheduler.get_jobs()) == sorted(job.command for job in JOBS)
    now = datetime(2026, 12, 1, 6, 30, tzinfo=PARIS)
    digests = scheduler.get_job("send_alert_digests")
    assert digests.trigger.get_next_fire_time(None, now) == datetime(
        2026, 12, 1, 7, 0, tzinfo=PARIS
    )


@time_machine.travel(datetime(2026, 12, 1, 6, 30, tzinfo=PARIS), tick=False)
def test_list_prints_each_job_and_its_next_run():
    out = StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(JOBS)
    assert "send_alert_digests\t2026-12-01 07:00 CET\t" in out.getvalue()


# Transactional: run_job closes stale connections between jobs, the test's own included when it
# is inside a transaction (as the scheduler does between runs).
@pytest.mark.django_db(transaction=True)
def test_a_job_runs_its_command_and_a_failure_does_not_stop_the_scheduler(caplog):
    Subscription.objects.create(
        email="a@example.org", criteria="", created_at=datetime(2020, 1, 1, tzinfo=PARIS)
    )
    assert run_job("purge_alerts") is True
    assert not Subscription.objects.exists()
    assert run_job("commande_inexistante") is False
    assert "Scheduled job commande_inexistante failed" in caplog.text


def test_compose_runs_the_scheduler_with_the_web_image_and_settings():
    compose = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())
    web, scheduler = compose["services"]["web"], compose["services"]["scheduler"]
    assert scheduler["image"] == web["image"]
    assert scheduler["command"] == ["python", "manage.py", "run_scheduler"]
    assert scheduler["environment"]["DATABASE_URL"] == web["environment"]["DATABASE_URL"]
    assert scheduler["environment"]["DJANGO_MIGRATE_ON_START"] == "0"
