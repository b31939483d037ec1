"""Build ``fixtures/collectivites-2026.json.gz`` from ``@etalab/decoupage-administratif``.

The upstream package (6.0.0, 2026 edition) weighs about 12 MB of JSON; the derived file only
keeps what ``import_collectivites`` needs, normalised by ``collectivites.referential``::

    cd /tmp/etalab && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf *.tgz
    python manage.py build_collectivites_fixture /tmp/etalab/package/data
"""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from collectivites import referential

DEFAULT_SOURCE = Path("/tmp/etalab/package/data")
DEFAULT_OUTPUT = settings.BASE_DIR / "fixtures" / "collectivites-2026.json.gz"
SOURCE_LABEL = "@etalab/decoupage-administratif@6.0.0"


class Command(BaseCommand):
    help = "Derive the compact collectivités fixture from the upstream JSON directory."

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            nargs="?",
            type=Path,
            default=DEFAULT_SOURCE,
            help=f"Upstream data directory (default: {DEFAULT_SOURCE}).",
        )
        parser.add_argument(
            "--output", type=Path, default=DEFAULT_OUTPUT, help="Where to write the fixture."
        )
        parser.add_argument(
            "--label", default=SOURCE_LABEL, help="Provenance stored in the fixture."
        )

    def handle(self, *args, source, output, label, **options):
        records = referential.build_records(**referential.read_upstream(source))
        output.parent.mkdir(parents=True, exist_ok=True)
        referential.write_fixture(output, records, label)
        if options["verbosity"] >= 1:
            self._report(records, output)

    def _report(self, records, output):
        self.stdout.write(
            f"{len(records['regions'])} régions, {len(records['departements'])} départements"
        )
        kinds = Counter(row["kind"] for row in records["collectivites"])
        for kind, count in sorted(kinds.items()):
            self.stdout.write(f"  {kind}: {count}")
        size = output.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(records['collectivites'])} collectivités written to {output} "
                f"({size / 1_000_000:.2f} MB)"
            )
        )
