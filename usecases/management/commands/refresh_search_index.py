"""Rebuild the search index of every case (after a thesaurus-independent change of analysis,
a restore, or to index the places of the collectivités of cases loaded before the search did)."""

from django.core.management.base import BaseCommand

from usecases import search
from usecases.models import UseCase
from usecases.pagecache import bump_catalogue_version


class Command(BaseCommand):
    help = "Recalcule l’index de recherche de tous les cas d’usage."

    def handle(self, *args, **options):
        search.sync_fts()
        count = 0
        pks = list(UseCase.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), 1000):
            count += UseCase.objects.filter(pk__in=pks[start : start + 1000]).refresh_search_index()
        bump_catalogue_version()
        self.stdout.write(self.style.SUCCESS(f"{count} cas d’usage réindexés."))
