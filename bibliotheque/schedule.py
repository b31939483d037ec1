"""The periodic jobs of the production stack, declared once.

`manage.py run_scheduler` (the `scheduler` service of docker-compose.yml) runs each management
command below at its time, in the site's time zone (Europe/Paris). Every command is idempotent
and can be run by hand: a run missed or repeated sends nothing twice (docs/deploiement.md).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    command: str
    # Five crontab fields: minute hour day-of-month month day-of-week.
    crontab: str
    description: str


JOBS = [
    Job("purge_accounts", "0 3 * * *", "durées de conservation des comptes"),
    Job("purge_alerts", "15 3 * * *", "alertes jamais confirmées (7 jours)"),
    Job("send_alert_digests", "0 7 * * *", "e-mails d’alerte quotidiens et hebdomadaires"),
    Job("send_review_reminders", "30 7 * * *", "rappels « Toujours à jour » à 12 mois"),
]
