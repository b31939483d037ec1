"""Apply the retention rules of /donnees-personnelles/ (run it daily, e.g. from cron).

- a sign-up whose address was never confirmed is deleted after 7 days;
- an account unused for 2 years (no login since) is deleted;
- a message relayed by « Contacter l’équipe » is deleted after CONTACT_RETENTION_DAYS.

Staff accounts are kept. Published sheets stay online: their author becomes empty and they
remain attributed to their collectivité.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from usecases.mutualisation.models import ContactMessage

UNCONFIRMED_DAYS = 7
INACTIVE_DAYS = 2 * 365


class Command(BaseCommand):
    help = (
        "Supprime les inscriptions non confirmées (7 jours), les comptes inactifs (2 ans) "
        "et les messages relayés aux équipes (CONTACT_RETENTION_DAYS)."
    )

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
        messages = ContactMessage.objects.filter(
            created_at__lt=now - datetime.timedelta(days=settings.CONTACT_RETENTION_DAYS)
        )
        message_count = messages.count()
        if not dry_run:
            unconfirmed.delete()
            inactive.delete()
            messages.delete()
        verb = "à supprimer" if dry_run else "supprimés"
        for label, count in counts.items():
            self.stdout.write(f"Comptes {label} {verb} : {count}")
        self.stdout.write(f"Messages « Contacter l’équipe » {verb} : {message_count}")
