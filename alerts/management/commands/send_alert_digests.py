"""Send the digests of e-mail alerts that are due (daily ones every day, weekly ones once a week).

Idempotent: each (alert, period) is recorded in the transaction that sends it, so running the
command twice, or on two machines, sends nothing twice. Scheduled daily (bibliotheque/schedule.py).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from alerts import services


class Command(BaseCommand):
    help = "Envoie les e-mails d’alerte dus (nouveaux cas publiés) ; idempotent."

    def handle(self, *args, **options):
        seen, sent = services.send_digests()
        if options["verbosity"]:
            alerts = ngettext(
                "%(count)d alerte confirmée", "%(count)d alertes confirmées", seen
            ) % {"count": seen}
            emails = ngettext("%(count)d e-mail envoyé.", "%(count)d e-mails envoyés.", sent) % {
                "count": sent
            }
            self.stdout.write(f"{alerts}, {emails}")
