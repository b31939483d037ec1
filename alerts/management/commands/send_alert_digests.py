"""Send the digests of e-mail alerts that are due (daily ones every day, weekly ones once a week).

Idempotent: each (alert, period) is recorded in the transaction that sends it, so running the
command twice, or on two machines, sends nothing twice. Scheduled daily (bibliotheque/schedule.py).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from alerts import services


class Command(BaseCommand):
    help = "Envoie les e-mails d’alerte dus (nouveaux cas publiés) ; idempotent."

    # ngettext is given max(count, 1): in French, 0 takes the singular (« 0 e-mail envoyé »).
    def handle(self, *args, **options):
        seen, sent = services.send_digests()
        if options["verbosity"]:
            alerts = ngettext(
                "%(count)d alerte confirmée", "%(count)d alertes confirmées", max(seen, 1)
            ) % {"count": seen}
            emails = ngettext(
                "%(count)d e-mail envoyé.", "%(count)d e-mails envoyés.", max(sent, 1)
            ) % {"count": sent}
            self.stdout.write(f"{alerts}, {emails}")
