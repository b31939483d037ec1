"""Load the solutions that the real cases name, and link them to those cases.

    manage.py load_solutions [path]    # default: fixtures/solutions.json

Idempotent: solutions are written with update_or_create on their slug, and each one's cases
are set to the slugs listed (a slug that is not loaded is reported, not invented). Run it after
load_use_cases.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from usecases.models import UseCase
from usecases.mutualisation.models import Solution

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures" / "solutions.json"
FIELDS = ["name", "kind", "publisher", "publisher_location", "model_family", "description"]
OPTIONAL = ["website", "source_code_url", "licence"]


class Command(BaseCommand):
    help = "Charge les solutions nommées par les cas d’usage réels et les relie à leurs fiches."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, path, **options):
        try:
            entries = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Lecture impossible de {path} : {error}") from error
        cases = dict(UseCase.objects.values_list("slug", "pk"))
        missing = []
        with transaction.atomic():
            for entry in entries:
                values = {name: entry[name] for name in FIELDS}
                values.update({name: entry.get(name, "") for name in OPTIONAL})
                solution = Solution.objects.filter(slug=entry["slug"]).first() or Solution(
                    slug=entry["slug"]
                )
                for name, value in values.items():
                    setattr(solution, name, value)
                try:
                    solution.full_clean(validate_unique=False)
                except ValidationError as error:
                    raise CommandError(f"{entry['slug']} : {error.message_dict}") from error
                solution.save()
                solution.use_cases.add(*[cases[s] for s in entry["use_cases"] if s in cases])
                missing += [s for s in entry["use_cases"] if s not in cases]
        for slug in missing:
            self.stderr.write(f"Cas d’usage absent (chargez-le d’abord) : {slug}")
        self.stdout.write(self.style.SUCCESS(f"{len(entries)} solutions chargées."))
