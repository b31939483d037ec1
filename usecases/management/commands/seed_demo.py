"""Seed synthetic, deterministic use cases for load tests and demos.

    manage.py seed_demo --use-cases 100000 --seed 42 --i-know-this-is-demo-data
    manage.py seed_demo --delete --i-know-this-is-demo-data

The cases are published, on top of the real referential (run ``import_collectivites`` first),
with tags, techniques, partners, key figures and link resources (``usecases.demo`` makes them
from French word banks; the same seed gives the same cases), and solutions and « nous aussi »
declarations (``usecases.mutualisation.demo``). They are kept apart from real
data: ``is_demo`` is true, the slug starts with ``demo-s<seed>-``, ``--delete`` removes them
(and nothing else), and the catalogue dump (``export_catalogue``) never includes them. The
command refuses to run unless ``DJANGO_DEBUG`` is on or ``--i-know-this-is-demo-data`` is given.

Rows are written with ``bulk_create`` in batches; ``search_keywords`` and ``search_text`` are
computed in Python and ``search_vector`` by ONE set-based UPDATE over every demo row. Running
it again with the same ``--use-cases`` and ``--seed`` does nothing (``--force`` regenerates);
with other values it replaces the previous demo set. 100,000 cases take a few minutes.
"""

import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from taggit.models import Tag, TaggedItem

from collectivites.choices import Kind
from collectivites.models import Collectivite
from usecases import search, signals
from usecases.choices import Status
from usecases.demo import SLUG_PREFIX, Generator, demo_slug, tag_vocabulary
from usecases.models import KeyFigure, Resource, Technique, Theme, UseCase
from usecases.mutualisation import demo as mutualisation_demo
from usecases.pagecache import bump_catalogue_version

BATCH_SIZE = 2000


def demo_cases():
    return UseCase.objects.filter(is_demo=True)


def delete_demo():
    """Delete every demo case and its rows; returns the number of cases deleted."""
    ids = demo_cases().values("pk")
    content_type = ContentType.objects.get_for_model(UseCase)
    # Without the page cache's receivers Django deletes in bulk, not object by object.
    with signals.paused(), transaction.atomic():
        TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).delete()
        for through in (UseCase.techniques.through, UseCase.partners.through):
            through.objects.filter(usecase_id__in=ids).delete()
        KeyFigure.objects.filter(use_case__in=ids).delete()
        Resource.objects.filter(use_case__in=ids).delete()
        mutualisation_demo.delete(ids)
        _total, detail = demo_cases().only("pk").delete()
        search.sync_fts()
        # Tags of the demo vocabulary that no real case uses any more.
        Tag.objects.filter(name__in=tag_vocabulary(), taggit_taggeditem_items__isnull=True).delete()
        bump_catalogue_version()
    return detail.get(UseCase._meta.label, 0)


class Command(BaseCommand):
    help = "Crée (ou supprime) des cas d’usage fictifs et reproductibles pour les tests de charge."

    def add_arguments(self, parser):
        parser.add_argument("--use-cases", type=int, default=1000, help="Nombre de cas.")
        parser.add_argument("--seed", type=int, default=1, help="Graine du générateur.")
        parser.add_argument("--delete", action="store_true", help="Supprimer les cas fictifs.")
        parser.add_argument(
            "--force", action="store_true", help="Régénérer même si le même jeu est présent."
        )
        parser.add_argument(
            "--i-know-this-is-demo-data",
            action="store_true",
            dest="confirmed",
            help="Autoriser la commande sans DJANGO_DEBUG (base de test ou de démonstration).",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or options["confirmed"]):
            raise CommandError(
                "seed_demo writes fictitious cases: run it with DJANGO_DEBUG=1 or "
                "--i-know-this-is-demo-data, never on the production database."
            )
        self.verbosity = options["verbosity"]
        if options["delete"]:
            count = delete_demo()
            self.stdout.write(self.style.SUCCESS(f"{count} demo cases deleted."))
            return
        count, seed = options["use_cases"], options["seed"]
        if count < 1:
            raise CommandError("--use-cases must be at least 1.")
        collectivites = referential()
        if not options["force"] and self._already_seeded(count, seed):
            self.stdout.write(f"{count} demo cases of seed {seed} already there: nothing to do.")
            return
        started = time.monotonic()
        removed = delete_demo() if demo_cases().exists() else 0
        if removed:
            self._say(f"{removed} previous demo cases deleted.")
        self._seed(count, seed, collectivites)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} demo cases (seed {seed}) created in {time.monotonic() - started:.0f} s."
            )
        )

    def _say(self, message):
        if self.verbosity >= 2:
            self.stdout.write(message)

    def _already_seeded(self, count, seed):
        existing = demo_cases()
        return (
            existing.count() == count
            and not existing.exclude(slug__startswith=f"{SLUG_PREFIX}s{seed}-").exists()
        )

    def _seed(self, count, seed, collectivites):
        generator = Generator(seed, [(pk, kind, pop) for pk, kind, pop, _name in collectivites])
        context = {
            # Names with their EPCI, département and région: what the search indexes.
            "names": search.place_texts(),
            "themes": dict(Theme.objects.values_list("slug", "pk")),
            "techniques": dict(Technique.objects.values_list("slug", "pk")),
            "tags": ensure_tags(generator.tags),
            "content_type": ContentType.objects.get_for_model(UseCase),
        }
        for start in range(0, count, BATCH_SIZE):
            cases = [
                generator.case(index) for index in range(start, min(count, start + BATCH_SIZE))
            ]
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # Throwaway rows: no need to wait for the WAL flush at each batch.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                write_batch(cases, seed, context)
            self._say(f"{start + len(cases)} / {count}")
        solutions, links, declarations = mutualisation_demo.seed(
            seed,
            demo_cases().order_by("pk").values_list("pk", "collectivite_id"),
            [pk for pk, _kind, _pop, _name in collectivites],
        )
        self._say(f"{solutions} solutions, {links} links, {declarations} reuse declarations.")
        self._say("Computing search vectors (one UPDATE)…")
        rows = demo_cases()
        # bulk_create stamped updated_at with the current time: give back a reproducible one.
        if search.refresh_search_vectors(rows, updated_at=F("published_at")) == 0:
            rows.update(updated_at=F("published_at"))
        bump_catalogue_version()
        analyze()


def referential():
    """[(pk, kind, population, name)] of the collectivités the cases are drawn from, in a stable
    order; a CommandError when the referential was not imported."""
    collectivites = list(
        Collectivite.objects.exclude(kind=Kind.OTHER)
        .order_by("slug")
        .values_list("pk", "kind", "population", "name")
    )
    if not collectivites:
        raise CommandError(
            "No collectivité in the database: import the referential first "
            "(manage.py import_collectivites)."
        )
    return collectivites


def ensure_tags(names):
    """{name: tag pk} for the vocabulary, reusing existing tags (names are case-insensitive)."""
    existing = {name.lower(): pk for pk, name in Tag.objects.values_list("pk", "name")}
    slugs = set(Tag.objects.values_list("slug", flat=True))
    missing = []
    for name in names:
        if name.lower() in existing:
            continue
        slug, number = Tag().slugify(name), 1
        while slug in slugs:
            slug, number = Tag().slugify(name, number), number + 1
        slugs.add(slug)
        missing.append(Tag(name=name, slug=slug))
    Tag.objects.bulk_create(missing)
    existing.update({tag.name.lower(): tag.pk for tag in missing})
    return {name: existing[name.lower()] for name in names}


def write_batch(cases, seed, context):
    """Insert the cases, their search rows and their related rows, a few statements per table."""
    objects = [case_row(case, seed, context["names"], context["themes"]) for case in cases]
    UseCase.objects.bulk_create(objects)
    search.write_fts_rows((obj.pk, obj.__dict__) for obj in objects)
    search.add_vocabulary(obj.search_text + "\n" + obj.search_keywords for obj in objects)
    write_relations(list(zip(cases, objects, strict=True)), context)


def case_row(case, seed, names, themes):
    """The unsaved UseCase of one generated case, with its search texts computed."""
    use_case = UseCase(
        **case.fields,
        slug=demo_slug(seed, case.index, case.fields["title"]),
        collectivite_id=case.collectivite_id,
        theme_id=themes[case.theme_slug],
        status=Status.PUBLISHED,
        is_demo=True,
        search_keywords=search.keywords_text(
            case.tags, names[case.collectivite_id], [names[pk] for pk in case.partner_ids]
        ),
    )
    use_case.search_text = search.text_for(use_case.__dict__)
    return use_case


def write_relations(pairs, context):
    """Techniques, partners, tags, key figures and resources of the (case, saved row) pairs."""
    tags = context["tags"]
    UseCase.techniques.through.objects.bulk_create(
        UseCase.techniques.through(usecase_id=obj.pk, technique_id=context["techniques"][slug])
        for case, obj in pairs
        for slug in case.technique_slugs
    )
    UseCase.partners.through.objects.bulk_create(
        UseCase.partners.through(usecase_id=obj.pk, collectivite_id=pk)
        for case, obj in pairs
        for pk in case.partner_ids
    )
    TaggedItem.objects.bulk_create(
        TaggedItem(content_type=context["content_type"], object_id=obj.pk, tag_id=tags[name])
        for case, obj in pairs
        for name in case.tags
    )
    KeyFigure.objects.bulk_create(
        KeyFigure(use_case_id=obj.pk, value=value, label=label, position=position)
        for case, obj in pairs
        for position, (value, label) in enumerate(case.key_figures)
    )
    Resource.objects.bulk_create(
        Resource(use_case_id=obj.pk, title=title, kind=kind, url=url, position=position)
        for case, obj in pairs
        for position, (title, kind, url) in enumerate(case.resources)
    )


def analyze():
    """Fresh planner statistics (and, outside a transaction, the visibility map) after a load."""
    if connection.vendor != "postgresql":
        return
    tables = [
        UseCase._meta.db_table,
        UseCase.techniques.through._meta.db_table,
        UseCase.partners.through._meta.db_table,
        TaggedItem._meta.db_table,
        KeyFigure._meta.db_table,
        Resource._meta.db_table,
    ]
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")
