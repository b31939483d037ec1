"""Load the referential of régions, départements and collectivités into the database.

By default it reads the shipped ``fixtures/collectivites-2026.json.gz`` (see
``fixtures/README.md``); ``--source DIR`` reads an unpacked ``@etalab/decoupage-administratif``
data directory instead. Both go through ``collectivites.referential``.

The import is idempotent. Natural keys: ``code`` for ``Region`` and ``Departement``,
``(kind, code)`` for ``Collectivite``. Changed rows are updated, new ones created, and rows that
disappeared upstream are only reported: use cases may point at them. A slug is set once, on
creation, so that published URLs stay valid after a rename.

Everything runs in one transaction with bulk queries (``bulk_create``/``bulk_update`` do not
call ``save()``, hence ``search_name`` is computed here); the commune -> EPCI links are set in
a second pass, once every EPCI has a primary key.
"""

from collections import Counter, defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bibliotheque.text import normalize
from collectivites import referential
from collectivites.choices import Kind
from collectivites.models import Collectivite, Departement, Region
from collectivites.signals import referential_imported

DEFAULT_FIXTURE = settings.BASE_DIR / "fixtures" / "collectivites-2026.json.gz"
BATCH_SIZE = 500
COLLECTIVITE_FIELDS = ("name", "siren", "departement_id", "region_id", "population", "search_name")
# Kinds the referential owns; "autre" rows are entered by hand and never reported as removed.
MANAGED_KINDS = [kind for kind in Kind.values if kind != Kind.OTHER]


class Command(BaseCommand):
    help = "Create or update régions, départements and collectivités from the referential."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            help="@etalab/decoupage-administratif data directory, instead of the fixture.",
        )
        parser.add_argument(
            "--fixture",
            type=Path,
            default=DEFAULT_FIXTURE,
            help=f"Compact fixture to load (default: {DEFAULT_FIXTURE}).",
        )

    def handle(self, *args, source=None, fixture=DEFAULT_FIXTURE, **options):
        self.verbosity = options["verbosity"]
        records = self._load(source, fixture)
        with transaction.atomic():
            regions = self._sync_regions(records["regions"])
            departements = self._sync_departements(records["departements"], regions)
            self._sync_collectivites(records["collectivites"], departements, regions)
            referential_imported.send(sender=Collectivite)

    def _load(self, source, fixture):
        try:
            if source:
                return referential.build_records(**referential.read_upstream(source))
            return referential.read_fixture(fixture)
        except FileNotFoundError as error:
            raise CommandError(f"Cannot read the referential: {error}") from error

    def _sync_regions(self, rows):
        existing = {region.code: region for region in Region.objects.all()}
        wanted = {row["code"]: {"name": row["name"]} for row in rows}
        created, updated = upsert(Region, wanted, existing, ["name"])
        self._report_counts("régions", {"region": len(created)}, {"region": len(updated)})
        self._report_removed("régions", existing.keys() - wanted.keys())
        return {region.code: region.pk for region in Region.objects.all()}

    def _sync_departements(self, rows, region_ids):
        existing = {dep.code: dep for dep in Departement.objects.all()}
        wanted = {
            row["code"]: {"name": row["name"], "region_id": region_ids[row["region"]]}
            for row in rows
        }
        created, updated = upsert(Departement, wanted, existing, ["name", "region_id"])
        self._report_counts(
            "départements", {"departement": len(created)}, {"departement": len(updated)}
        )
        self._report_removed("départements", existing.keys() - wanted.keys())
        return {dep.code: dep.pk for dep in Departement.objects.all()}

    def _sync_collectivites(self, rows, departement_ids, region_ids):
        existing = {
            (c.kind, c.code): c
            for c in Collectivite.objects.filter(kind__in=MANAGED_KINDS).exclude(code="")
        }
        taken_slugs = set(Collectivite.objects.values_list("slug", flat=True))
        wanted = {}
        for row in rows:
            key = (row["kind"], row["code"])
            values = collectivite_values(row, departement_ids, region_ids)
            if key not in existing:
                values["slug"] = referential.unique_slug(row["slug"], row["kind"], taken_slugs)
                taken_slugs.add(values["slug"])
            wanted[key] = values
        created, updated = upsert(Collectivite, wanted, existing, list(COLLECTIVITE_FIELDS))
        kinds = {row["kind"]: 0 for row in rows}
        self._report_counts("collectivités", kinds | _by_kind(created), kinds | _by_kind(updated))
        self._report_removed("collectivités", existing.keys() - wanted.keys())
        linked = link_epcis(rows)
        if self.verbosity >= 1:
            self.stdout.write(f"commune -> EPCI links set or changed: {linked}")

    def _report_counts(self, label, created, updated):
        """One total line, then one line per kind when there are several kinds."""
        if self.verbosity < 1:
            return
        total_created, total_updated = sum(created.values()), sum(updated.values())
        self.stdout.write(
            self.style.SUCCESS(f"{label}: {total_created} created, {total_updated} updated")
        )
        if len(created) > 1:
            for kind in sorted(created):
                self.stdout.write(f"  {kind}: {created[kind]} created, {updated[kind]} updated")

    def _report_removed(self, label, keys):
        if not keys or self.verbosity < 1:
            return
        self.stdout.write(
            self.style.WARNING(f"{label}: {len(keys)} absent from the referential, kept")
        )
        shown = sorted(keys) if self.verbosity >= 2 else sorted(keys)[:20]
        for key in shown:
            self.stdout.write(f"  {key}")
        if len(shown) < len(keys):
            self.stdout.write("  … (use -v 2 to list them all)")


def collectivite_values(row, departement_ids, region_ids):
    return {
        "name": row["name"],
        "siren": row["siren"] or "",
        "departement_id": departement_ids.get(row["departement"]),
        "region_id": region_ids.get(row["region"]),
        "population": row["population"],
        "search_name": normalize(row["name"]),
    }


def upsert(model, wanted, existing, fields):
    """Create the missing rows of ``wanted`` ({key: values}) and update the changed ones.

    ``existing`` maps the same keys to instances. Keys are the natural key: a code, or a
    (kind, code) tuple. Only ``fields`` are compared for updates. Returns the created and the
    updated keys.
    """
    key_names = ["kind", "code"] if model is Collectivite else ["code"]
    to_create, to_update, changed_fields = [], [], set()
    for key, values in wanted.items():
        instance = existing.get(key)
        if instance is None:
            key_values = key if isinstance(key, tuple) else (key,)
            to_create.append(model(**dict(zip(key_names, key_values, strict=True)), **values))
            continue
        changed = [field for field in fields if getattr(instance, field) != values[field]]
        for field in changed:
            setattr(instance, field, values[field])
        if changed:
            to_update.append(instance)
            changed_fields.update(changed)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    return [_key(obj, key_names) for obj in to_create], [_key(obj, key_names) for obj in to_update]


def _key(instance, key_names):
    values = tuple(getattr(instance, name) for name in key_names)
    return values if len(values) > 1 else values[0]


def _by_kind(keys):
    return Counter(kind for kind, _code in keys)


def link_epcis(rows):
    """Second pass: point each commune at its EPCI, one UPDATE per EPCI. Returns the count."""
    epci_ids = dict(
        Collectivite.objects.filter(kind__in=Kind.epci_kinds()).values_list("code", "id")
    )
    wanted = {row["code"]: epci_ids.get(row["epci"]) for row in rows if row["kind"] == Kind.COMMUNE}
    to_change = defaultdict(list)
    communes = Collectivite.objects.filter(kind=Kind.COMMUNE).values_list("code", "id", "epci_id")
    for code, pk, epci_id in communes:
        if code in wanted and wanted[code] != epci_id:
            to_change[wanted[code]].append(pk)
    for epci_id, pks in to_change.items():
        for start in range(0, len(pks), BATCH_SIZE):
            chunk = pks[start : start + BATCH_SIZE]
            Collectivite.objects.filter(pk__in=chunk).update(epci_id=epci_id)
    return sum(len(pks) for pks in to_change.values())
