"""Run the periodic jobs of bibliotheque.schedule with APScheduler, in the foreground.

One scheduler per installation (the `scheduler` service of docker-compose.yml). `--list` prints
the jobs and their next run without running anything.
"""

import logging
import time

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from bibliotheque.schedule import JOBS

logger = logging.getLogger("bibliotheque.scheduler")

# A run missed by less than this (the service restarting) still happens; runs missed in a row
# are coalesced into one.
MISFIRE_GRACE_SECONDS = 3600


def run_job(command):
    """Run one command, logging its outcome; a failure is logged, never fatal to the scheduler."""
    close_old_connections()
    started = time.monotonic()
    try:
        call_command(command)
    except Exception:
        logger.exception("Scheduled job %s failed", command, extra={"job": command})
        return False
    finally:
        close_old_connections()
    logger.info(
        "Scheduled job %s done in %.1f s",
        command,
        time.monotonic() - started,
        extra={"job": command},
    )
    return True


def build_scheduler():
    known = get_commands()
    scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
    for job in JOBS:
        if job.command not in known:
            raise CommandError(f"Unknown command in bibliotheque.schedule: {job.command}")
        scheduler.add_job(
            run_job,
            CronTrigger.from_crontab(job.crontab, timezone=settings.TIME_ZONE),
            args=[job.command],
            id=job.command,
            name=job.description,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
    return scheduler


class Command(BaseCommand):
    help = "Lance les tâches périodiques (rappels, alertes, purges) à leur heure."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="Affiche les tâches et leur prochaine exécution."
        )

    def handle(self, *args, **options):
        scheduler = build_scheduler()
        if options["list"]:
            now = timezone.localtime()
            for job in scheduler.get_jobs():
                next_run = job.trigger.get_next_fire_time(None, now)
                self.stdout.write(f"{job.id}\t{next_run:%Y-%m-%d %H:%M %Z}\t{job.name}")
            return
        logger.info("Scheduler started with %d jobs", len(JOBS))
        scheduler.start()
