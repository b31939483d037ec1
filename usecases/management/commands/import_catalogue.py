"""Import a catalogue written by export_catalogue.

    manage.py import_catalogue FILE

The database must hold the referential: themes and techniques (data migration) and the
collectivités (manage.py import_collectivites), found by kind and official code. Cases are
created or updated by slug, all in one transaction, then their search index is rebuilt.
Importing the same file twice changes nothing.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from usecases.dump import DumpError, load_catalogue


class Command(BaseCommand):
    help = "Importe un catalogue exporté par export_catalogue (idempotent, par slug)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier JSON produit par export_catalogue.")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                data = json.load(stream)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            count = load_catalogue(data)
        except (DumpError, KeyError, TypeError) as error:
            raise CommandError(f"Import aborted, nothing written: {error!r}") from error
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"{count} cas d’usage importés."))
