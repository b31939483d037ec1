"""Delete alert subscriptions never confirmed within their confirmation delay (7 days)."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from alerts import services


class Command(BaseCommand):
    help = "Supprime les alertes non confirmées après 7 jours."

    # ngettext is given max(count, 1): in French, 0 takes the singular (« 0 alerte »).
    def handle(self, *args, **options):
        count = services.purge()
        if options["verbosity"]:
            self.stdout.write(
                ngettext(
                    "%(count)d alerte non confirmée supprimée.",
                    "%(count)d alertes non confirmées supprimées.",
                    max(count, 1),
                )
                % {"count": count}
            )
