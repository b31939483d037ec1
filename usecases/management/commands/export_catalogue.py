"""Write the published catalogue as JSON, ready for import_catalogue in another database.

    manage.py export_catalogue [--output FILE] [--base-url https://host]

Each case is the public record of the open-data exports plus the references needed to rebuild
it (collectivités by kind and code, key figures, resources, former slugs). Only public data.
"""

import json

from django.core.management.base import BaseCommand

from usecases.dump import dump_catalogue


class Command(BaseCommand):
    help = "Exporte le catalogue publié en JSON (réimportable avec import_catalogue)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Fichier à écrire (sortie standard sinon).")
        parser.add_argument(
            "--base-url",
            default="",
            help="Préfixe des liens, par exemple https://bibliotheque.example.org.",
        )

    def handle(self, *args, output=None, base_url="", **options):
        data = dump_catalogue(base_url=base_url.rstrip("/"))
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
            if options["verbosity"] > 0:
                count = len(data["use_cases"])
                self.stdout.write(self.style.SUCCESS(f"{count} cas d’usage écrits dans {output}."))
        else:
            self.stdout.write(text, ending="")
