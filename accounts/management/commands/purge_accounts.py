"""Apply the retention rules of /donnees-personnelles/ (run it daily, e.g. from cron).

- a sign-up whose address was never confirmed is deleted after 7 days;
- an account unused for 2 years (no login since) is deleted.

Staff accounts are kept. Published sheets stay online: their author becomes empty and they
remain attributed to their collectivité.
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

UNCONFIRMED_DAYS = 7
INACTIVE_DAYS = 2 * 365


class Command(BaseCommand):
    help = "Supprime les inscriptions non confirmées (7 jours) et les comptes inactifs (2 ans)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans supprimer.")

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        users = get_user_model().objects.filter(is_staff=False, is_superuser=False)
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        unconfirmed = users.filter(
            ~Exists(verified), date_joined__lt=now - datetime.timedelta(days=UNCONFIRMED_DAYS)
        )
        limit = now - datetime.timedelta(days=INACTIVE_DAYS)
        inactive = users.filter(
            Q(last_login__lt=limit) | Q(last_login__isnull=True, date_joined__lt=limit)
        )
        counts = {"non confirmées": unconfirmed.count(), "inactifs": inactive.count()}
        if not dry_run:
            unconfirmed.delete()
            inactive.delete()
        verb = "à supprimer" if dry_run else "supprimés"
        for label, count in counts.items():
            self.stdout.write(f"Comptes {label} {verb} : {count}")
