"""E-mail a « Toujours à jour » reminder for each published sheet whose information is 12 months
old: to its contributor, or to the moderators if the account is gone.

Idempotent: one reminder per sheet and information date, recorded in the transaction that sends
it; running the command twice sends nothing twice. Scheduled daily (bibliotheque/schedule.py).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from reviews import services


class Command(BaseCommand):
    help = "Envoie les rappels « Toujours à jour » des fiches de plus de 12 mois ; idempotent."

    # ngettext is given max(count, 1): in French, 0 takes the singular (« 0 e-mail envoyé »).
    def handle(self, *args, **options):
        sent = services.send_due_reminders()
        if options["verbosity"]:
            self.stdout.write(
                ngettext("%(count)d rappel envoyé.", "%(count)d rappels envoyés.", max(sent, 1))
                % {"count": sent}
            )
