"""Load the published use cases of the catalogue from a JSON fixture.

    manage.py load_use_cases [path]    # default: fixtures/use_cases.json

The file is a list of objects, one per use case, keyed by ``slug``. Loading is idempotent:
each case is validated with ``full_clean()``, then written with ``update_or_create`` on its
slug inside a single transaction; its partners, techniques and tags are set, and its key
figures and resources are replaced. A case whose stored content already matches the file is
left untouched, so that running the command twice writes nothing; the command reports how many
cases it created, updated and left unchanged.

``published_at`` and ``updated_at`` (which defaults to ``published_at``) are dates consistent
with the facts a sheet cites: the loader stores them as they are written rather than the time
of loading.

Collectivités are referenced by their official identity, ``{"kind": ..., "code": ...}``
(INSEE code for communes, départements and régions, SIREN for EPCI and EPT). They must
exist: import the referential first with ``manage.py import_collectivites``. Organisations
outside the referential (OPSN, MDPH, syndicats…) use ``{"kind": "autre", "name": ...}``,
with the INSEE code of their ``"departement"`` when they belong to one, and are created on
first use.
"""

import json
from datetime import datetime, time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from taggit.models import Tag

from collectivites.choices import Kind
from collectivites.models import Collectivite, Departement
from usecases.choices import Status
from usecases.models import CONTENT_FIELDS, KeyFigure, Resource, Technique, Theme, UseCase

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures" / "use_cases.json"

# Fixture keys copied as is onto the model.
SCALAR_FIELDS = [
    *CONTENT_FIELDS,
    "contact_role",
    "contact_email",
    "contact_is_public",
    "open_to_others",
]
# Maintained by refresh_search_index(), not by the fixture.
SEARCH_FIELDS = ["search_keywords", "search_text", "search_vector"]
# Compared with the stored case to skip the ones that did not change.
SNAPSHOT_FIELDS = [*SCALAR_FIELDS, "collectivite_id", "theme_id", "status", "published_at"]
# Hour given to a publication date without time (local time).
PUBLICATION_TIME = time(9, 0)


def _messages(error):
    """Readable messages for an error met while preparing a case."""
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return [
                f"{field} : {msg}" for field, msgs in error.message_dict.items() for msg in msgs
            ]
        return list(error.messages)
    if isinstance(error, KeyError):
        return [f"champ manquant « {error.args[0]} »."]
    if isinstance(error, (TypeError, AttributeError)):
        return [f"structure inattendue ({error})."]
    return [str(error)]


class Command(BaseCommand):
    help = "Charge (ou met à jour) les cas d’usage publiés à partir d’un fichier JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(DEFAULT_PATH),
            help="Fichier JSON des cas d’usage (par défaut : fixtures/use_cases.json).",
        )

    def handle(self, *args, **options):
        cases = self._read(Path(options["path"]))
        self.missing_referential = False
        with transaction.atomic():
            prepared = self._prepare_all(cases)
            tally = self._save_all(prepared)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(prepared)} cas d’usage dans le fichier : {tally['created']} créés, "
                f"{tally['updated']} mis à jour, {tally['unchanged']} inchangés."
            )
        )

    # Reading and validation

    def _prepare_all(self, cases):
        """Every case prepared, or a CommandError listing all the invalid ones."""
        themes = {theme.slug: theme for theme in Theme.objects.all()}
        techniques = {technique.slug: technique for technique in Technique.objects.all()}
        prepared, errors = [], []
        for index, data in enumerate(cases, start=1):
            slug = data.get("slug") or f"#{index}"
            try:
                prepared.append(self._prepare(data, themes, techniques))
            except (
                CommandError,
                ValidationError,
                LookupError,
                TypeError,
                AttributeError,
                ValueError,
            ) as exc:
                errors.extend(f"{slug} : {detail}" for detail in _messages(exc))
        if errors:
            message = "Cas d’usage invalides, rien n’a été chargé :\n  " + "\n  ".join(errors)
            if self.missing_referential:
                message += (
                    "\nLe référentiel des collectivités doit être importé d’abord : "
                    "manage.py import_collectivites."
                )
            raise CommandError(message)
        return prepared

    def _read(self, path):
        try:
            cases = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"Fichier introuvable : {path}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"JSON invalide dans {path} : {exc}") from exc
        if not isinstance(cases, list) or not all(isinstance(case, dict) for case in cases):
            raise CommandError(f"{path} doit contenir une liste d’objets (un par cas d’usage).")
        slugs = [case.get("slug") for case in cases]
        duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if duplicates:
            raise CommandError(f"Identifiants en double dans {path} : {', '.join(duplicates)}")
        return cases

    def _prepare(self, data, themes, techniques):
        """Resolve references and validate one case; nothing of the case is written yet."""
        slug = data["slug"]
        theme = themes.get(data["theme"])
        if theme is None:
            raise CommandError(f"thème inconnu « {data['theme']} ».")
        unknown = [slug_ for slug_ in data.get("techniques", []) if slug_ not in techniques]
        if unknown:
            raise CommandError(f"technique(s) inconnue(s) : {', '.join(unknown)}.")
        values = {field: data[field] for field in SCALAR_FIELDS if field in data}
        published_at, updated_at = self._dates(data)
        values.update(
            collectivite=self._collectivite(data["collectivite"]),
            theme=theme,
            status=Status.PUBLISHED,
            published_at=published_at,
        )
        use_case = UseCase(slug=slug, **values)
        use_case.full_clean(exclude=SEARCH_FIELDS, validate_unique=False)
        key_figures, resources = self._children(data)
        return {
            "slug": slug,
            "values": values,
            "partners": [self._collectivite(ref) for ref in data.get("partners", [])],
            "techniques": [techniques[slug_] for slug_ in data.get("techniques", [])],
            "tags": data.get("tags", []),
            "key_figures": key_figures,
            "resources": resources,
            "updated_at": updated_at,
            "instance": use_case,
        }

    def _dates(self, data):
        """The publication and update moments; an update cannot precede the publication."""
        published_at = self._moment(data["published_at"], "publication")
        updated_at = self._moment(data.get("updated_at") or data["published_at"], "mise à jour")
        if updated_at < published_at:
            raise ValueError("la date de mise à jour précède la date de publication.")
        return published_at, updated_at

    @staticmethod
    def _children(data):
        """The case's key figures and resources, validated, not yet attached to it."""
        key_figures = [
            KeyFigure(
                value=figure["value"],
                unit=figure.get("unit", ""),
                label=figure["label"],
                position=position,
            )
            for position, figure in enumerate(data.get("key_figures", []))
        ]
        resources = [
            Resource(
                title=resource["title"],
                kind=resource["kind"],
                url=resource.get("url", ""),
                description=resource.get("description", ""),
                position=position,
            )
            for position, resource in enumerate(data.get("resources", []))
        ]
        for obj in key_figures + resources:
            obj.full_clean(exclude=["use_case"])
        return key_figures, resources

    @staticmethod
    def _respell_tags(prepared):
        """Give existing tags the spelling of the file (« IA générative », not « ia générative »).

        Tags are case-insensitive (TAGGIT_CASE_INSENSITIVE): setting « IA générative » on a case
        would reuse a stored « ia générative » as it is. Returns the cases whose tags changed.
        """
        spelling = {name.lower(): name for item in prepared for name in item["tags"]}
        if not spelling:
            return set()
        query = Q()
        for name in spelling.values():
            query |= Q(name__iexact=name)
        affected = set()
        for tag in Tag.objects.filter(query):
            wanted = spelling.get(tag.name.lower())
            if wanted and wanted != tag.name:
                tag.name = wanted
                tag.save(update_fields=["name"])
                affected.update(UseCase.objects.filter(tags=tag).values_list("pk", flat=True))
        return affected

    def _collectivite(self, ref):
        kind = ref.get("kind", "")
        if kind == Kind.OTHER:
            name = (ref.get("name") or "").strip()
            if not name:
                raise CommandError("une organisation de type « autre » doit avoir un nom.")
            departement = self._departement(ref.get("departement"))
            place = {
                "departement": departement,
                "region": departement.region if departement else None,
            }
            collectivite = Collectivite.objects.filter(kind=Kind.OTHER, name=name).first()
            if collectivite is None:
                collectivite = Collectivite.objects.create(
                    kind=Kind.OTHER, name=name, code="", slug=self._free_slug(name), **place
                )
            elif departement and collectivite.departement_id != departement.pk:
                for field, value in place.items():
                    setattr(collectivite, field, value)
                collectivite.save(update_fields=list(place))
            return collectivite
        if kind not in Kind.values:
            raise CommandError(f"type de collectivité inconnu « {kind} ».")
        code = str(ref.get("code") or "").strip()
        try:
            return Collectivite.objects.get(kind=kind, code=code)
        except Collectivite.DoesNotExist:
            self.missing_referential = True
            identity = f"{kind} {code or 'sans code'}"
            raise CommandError(f"collectivité introuvable ({identity}).") from None

    def _departement(self, code):
        """The département an organisation outside the referential belongs to, if given."""
        if not code:
            return None
        departement = Departement.objects.select_related("region").filter(code=code).first()
        if departement is None:
            self.missing_referential = True
            raise CommandError(f"département introuvable ({code}).")
        return departement

    @staticmethod
    def _free_slug(name):
        base = slugify(name) or "organisme"
        slug, suffix = base, 2
        while Collectivite.objects.filter(slug=slug).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug

    @staticmethod
    def _moment(value, what):
        day = parse_date(value)
        moment = datetime.combine(day, PUBLICATION_TIME) if day else parse_datetime(value)
        if moment is None:
            raise ValueError(f"date de {what} invalide « {value} ».")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    # Writing

    def _save_all(self, prepared):
        """Write the prepared cases; returns how many were created, updated and left unchanged."""
        tally = {"created": 0, "updated": 0, "unchanged": 0}
        written = self._respell_tags(prepared)
        for item in prepared:
            outcome, use_case = self._save(item)
            tally[outcome] += 1
            if outcome != "unchanged":
                written.add(use_case.pk)
        if written:
            UseCase.objects.filter(pk__in=written).refresh_search_index()
        return tally

    def _save(self, item):
        """Create or update one case; returns ("created" | "updated" | "unchanged", case)."""
        use_case = (
            UseCase.objects.filter(slug=item["slug"])
            .prefetch_related("partners", "techniques", "tags", "key_figures", "resources")
            .first()
        )
        if use_case is not None and _snapshot(use_case) == _item_snapshot(item):
            return "unchanged", use_case
        use_case, created = UseCase.objects.update_or_create(
            slug=item["slug"], defaults=item["values"]
        )
        use_case.partners.set(item["partners"])
        use_case.techniques.set(item["techniques"])
        use_case.tags.set(item["tags"])
        use_case.key_figures.all().delete()
        use_case.resources.all().delete()
        for obj in item["key_figures"] + item["resources"]:
            obj.use_case = use_case
        KeyFigure.objects.bulk_create(item["key_figures"])
        Resource.objects.bulk_create(item["resources"])
        # auto_now stamped the loading time: the sheet keeps the date written in the file.
        UseCase.objects.filter(pk=use_case.pk).update(updated_at=item["updated_at"])
        return ("created" if created else "updated"), use_case


# What the loader writes, read back from a stored case or from a prepared item, to tell
# whether a case must be written at all.
FIGURE_FIELDS = ("value", "unit", "label")
RESOURCE_FIELDS = ("title", "kind", "url", "description")


def _snapshot(use_case):
    return _snapshot_of(
        use_case,
        partners=use_case.partners.all(),
        techniques=use_case.techniques.all(),
        tags=[tag.name for tag in use_case.tags.all()],
        key_figures=use_case.key_figures.all(),
        resources=use_case.resources.all(),
        updated_at=use_case.updated_at,
    )


def _item_snapshot(item):
    parts = ("partners", "techniques", "tags", "key_figures", "resources", "updated_at")
    return _snapshot_of(item["instance"], **{name: item[name] for name in parts})


def _snapshot_of(case, *, partners, techniques, tags, key_figures, resources, updated_at):
    return {
        "values": {name: getattr(case, name) for name in SNAPSHOT_FIELDS},
        "partners": sorted(partner.pk for partner in partners),
        "techniques": sorted(technique.pk for technique in techniques),
        "tags": sorted(tags),
        "key_figures": [
            tuple(getattr(figure, name) for name in FIGURE_FIELDS) for figure in key_figures
        ],
        "resources": [
            tuple(getattr(resource, name) for name in RESOURCE_FIELDS) for resource in resources
        ],
        "updated_at": updated_at,
    }
