"""Dump and reload the published catalogue (manage.py export_catalogue / import_catalogue).

A dump holds, per case, the public record of `usecases.exports` plus the references needed to
rebuild it in another database that has the referential: collectivités by kind and official
code (slug when there is no code), key figures and resources in detail, former slugs. Like the
record, it holds only public data: a contact without consent is not in it.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from collectivites.models import Collectivite

from .choices import Status
from .exports import DIRECT_FIELDS, isoformat, load_schema, use_case_record
from .models import KeyFigure, Resource, Technique, Theme, UseCase, UseCaseSlugHistory

FORMAT = "bibliotheque-ia-territoriales/catalogue"
FORMAT_VERSION = 1


class DumpError(Exception):
    """The dump cannot be imported as it is (unknown reference, invalid field)."""


def collectivite_reference(collectivite):
    return {
        "kind": collectivite.kind,
        "code": collectivite.code,
        "slug": collectivite.slug,
        "name": collectivite.name,
    }


def dump_record(use_case, base_url=""):
    record = use_case_record(use_case, base_url)
    record["references"] = {
        "collectivite": collectivite_reference(use_case.collectivite),
        "partners": [collectivite_reference(partner) for partner in use_case.partners.all()],
        "key_figures": [
            {"value": figure.value, "unit": figure.unit, "label": figure.label}
            for figure in use_case.key_figures.all()
        ],
        "resources": [
            {
                "title": resource.title,
                "kind": resource.kind,
                "url": resource.url,
                "file": resource.file.name,
                "description": resource.description,
            }
            for resource in use_case.resources.all()
        ],
        "former_slugs": [entry.old_slug for entry in use_case.slug_history.all()],
        "contact_is_public": use_case.contact_is_public and bool(use_case.contact_email),
    }
    return record


def dump_catalogue(base_url=""):
    """The published catalogue as a JSON-serialisable dict."""
    queryset = (
        UseCase.objects.published()
        # Demo cases (manage.py seed_demo) must never travel to another database.
        .filter(is_demo=False)
        .with_public_record_data()
        .prefetch_related("slug_history")
        .order_by("pk")
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": load_schema()["version"],
        "generated_at": isoformat(timezone.now()),
        "use_cases": [
            dump_record(use_case, base_url) for use_case in queryset.iterator(chunk_size=500)
        ],
    }


def _parse_datetime(value):
    return datetime.datetime.fromisoformat(value) if value else None


class _Resolver:
    """Referential lookups, cached for the duration of one import."""

    def __init__(self):
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.techniques = {technique.slug: technique for technique in Technique.objects.all()}
        self.collectivites = {}

    def theme(self, slug):
        if slug not in self.themes:
            raise DumpError(f"Unknown theme {slug!r}.")
        return self.themes[slug]

    def technique_list(self, slugs):
        unknown = [slug for slug in slugs if slug not in self.techniques]
        if unknown:
            raise DumpError(f"Unknown techniques {unknown!r}.")
        return [self.techniques[slug] for slug in slugs]

    def collectivite(self, reference):
        key = (reference["kind"], reference["code"], reference["slug"])
        if key not in self.collectivites:
            lookup = (
                {"kind": reference["kind"], "code": reference["code"]}
                if reference["code"]
                else {"slug": reference["slug"]}
            )
            try:
                self.collectivites[key] = Collectivite.objects.get(**lookup)
            except ObjectDoesNotExist as error:
                raise DumpError(
                    f"Unknown collectivité {reference['name']!r} ({lookup}): "
                    "load the referential first (manage.py import_collectivites)."
                ) from error
        return self.collectivites[key]


def _import_one(record, resolver):
    use_case = _save_case(record, resolver)
    _set_relations(use_case, record, resolver)
    # auto_now stamped the import time: give the case back its own modification date.
    UseCase.objects.filter(pk=use_case.pk).update(updated_at=_parse_datetime(record["updated_at"]))
    return use_case.pk


def _save_case(record, resolver):
    """The case's own columns, validated, created or updated by slug."""
    references = record["references"]
    fields = {name: record[name] for name in DIRECT_FIELDS}
    public_contact = references.get("contact_is_public", False)
    fields.update(
        collectivite=resolver.collectivite(references["collectivite"]),
        theme=resolver.theme(record["theme"]),
        contact_role=record["contact_role"] if public_contact else "",
        contact_email=record["contact_email"] if public_contact else "",
        contact_is_public=public_contact,
        status=Status.PUBLISHED,
        published_at=_parse_datetime(record["published_at"]),
    )
    use_case = UseCase.objects.filter(slug=record["slug"]).first() or UseCase(slug=record["slug"])
    for name, value in fields.items():
        setattr(use_case, name, value)
    try:
        use_case.full_clean()
    except ValidationError as error:
        raise DumpError(f"Invalid case {record['slug']!r}: {error.message_dict}") from error
    use_case.save()
    return use_case


def _set_relations(use_case, record, resolver):
    """Partners, techniques, tags, key figures, resources and former slugs, as in the dump."""
    references = record["references"]
    use_case.partners.set([resolver.collectivite(ref) for ref in references["partners"]])
    use_case.techniques.set(resolver.technique_list(record["techniques"]))
    use_case.tags.set(record["tags"], clear=True)
    use_case.key_figures.all().delete()
    KeyFigure.objects.bulk_create(
        KeyFigure(use_case=use_case, position=position, **figure)
        for position, figure in enumerate(references["key_figures"])
    )
    use_case.resources.all().delete()
    Resource.objects.bulk_create(
        Resource(use_case=use_case, position=position, **resource)
        for position, resource in enumerate(references["resources"])
    )
    for old_slug in references["former_slugs"]:
        UseCaseSlugHistory.objects.update_or_create(
            old_slug=old_slug, defaults={"use_case": use_case}
        )


def load_catalogue(data):
    """Create or update (by slug) every case of a dump, in one transaction; returns the count."""
    if data.get("format") != FORMAT:
        raise DumpError(f"Not a catalogue dump (expected format {FORMAT!r}).")
    with transaction.atomic():
        resolver = _Resolver()
        pks = [_import_one(record, resolver) for record in data["use_cases"]]
        UseCase.objects.filter(pk__in=pks).refresh_search_index()
    return len(pks)
