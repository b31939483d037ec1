"""Open-data records of published use cases, and their CSV and JSON streams.

One function, `use_case_record()`, turns a case into the flat dict of its public fields. The
CSV and JSON exports, the API and the catalogue dump all use it, so they cannot drift apart.
Its keys, in order, are the fields of the Table Schema `schema/cas-d-usage.schema.json`. It
never holds the author, the status, moderation data or a contact the collectivité has not
agreed to publish.
"""

import csv
import datetime
import functools
import json
from pathlib import Path

from django.urls import reverse

from usecases.mutualisation import sheet as mutualisation

from .models import CONTENT_FIELDS

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "cas-d-usage.schema.json"
LICENSE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
# Rows fetched (and prefetched) per round trip: memory stays flat whatever the catalogue size.
CHUNK_SIZE = 500
ROWS_PER_WRITE = 100
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Record keys that are model fields of the same name, copied as they are (and back on import).
DIRECT_FIELDS = CONTENT_FIELDS


@functools.cache
def load_schema():
    """The Table Schema of a record (read once per process)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def field_names():
    """The record's keys, in schema (and CSV column) order."""
    return tuple(field["name"] for field in load_schema()["fields"])


def isoformat(value):
    """A UTC ISO 8601 timestamp ending in Z, as the schema's `datetime` type expects."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def absolute(base_url, url):
    return url if not url or "://" in url else f"{base_url}{url}"


def resource_url(resource, base_url=""):
    """A link, or the download address of a document: /media/ is not served to the public."""
    if resource.file:
        return absolute(base_url, reverse("usecases:resource_download", args=[resource.pk]))
    return resource.url


def use_case_record(use_case, base_url=""):
    """The public fields of a published case, flat, in schema order.

    `base_url` ("https://host") makes the links absolute; the caller prefetches the relations
    (`UseCase.objects.with_public_record_data()`).
    """
    record = {
        "id": use_case.pk,
        "slug": use_case.slug,
        "url": absolute(base_url, use_case.get_absolute_url()),
        "title": use_case.title,
        "summary": use_case.summary,
        **place_fields(use_case.collectivite),
        "partners": [partner.name for partner in use_case.partners.all()],
        "theme": use_case.theme.slug,
        "theme_name": use_case.theme.name,
        "techniques": [technique.slug for technique in use_case.techniques.all()],
        "tags": sorted((tag.name for tag in use_case.tags.all()), key=str.lower),
        **{name: getattr(use_case, name) for name in DIRECT_FIELDS},
        "key_figures": [str(figure) for figure in use_case.key_figures.all()],
        **contact_fields(use_case),
        "resources": [resource_url(resource, base_url) for resource in use_case.resources.all()],
        "published_at": isoformat(use_case.published_at),
        "updated_at": isoformat(use_case.updated_at),
        **mutualisation.record_fields(use_case),
    }
    return {name: record[name] for name in field_names()}


def place_fields(collectivite):
    """Who carries the case and where: the collectivité, its département and its région."""
    departement, region = collectivite.departement, collectivite.region
    return {
        "collectivite_name": collectivite.name,
        "collectivite_slug": collectivite.slug,
        "collectivite_kind": collectivite.kind,
        "collectivite_code": collectivite.code,
        "collectivite_siren": collectivite.siren,
        "departement_code": departement.code if departement else "",
        "departement_name": departement.name if departement else "",
        "region_code": region.code if region else "",
        "region_name": region.name if region else "",
    }


def contact_fields(use_case):
    """The contact, only when the collectivité agreed to publish it; empty strings otherwise."""
    public = use_case.contact_is_public and bool(use_case.contact_email)
    return {
        "contact_role": use_case.contact_role if public else "",
        "contact_email": use_case.contact_email if public else "",
    }


def iter_records(use_cases, base_url=""):
    """Records of these cases, fetched with `UseCase.objects.with_public_record_data()`
    (the catalogue engine reads them CHUNK_SIZE at a time: `Listing.iterate()`)."""
    for use_case in use_cases:
        yield use_case_record(use_case, base_url)


def csv_cell(value):
    """A CSV cell: lists as JSON arrays, None as empty, formulas neutralised with a quote."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def stream_csv(records):
    """UTF-8 CSV text, comma-separated, starting with a BOM so that Excel reads the accents."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    names = field_names()
    yield "\ufeff" + writer.writerow(names)
    lines = []
    for record in records:
        lines.append(writer.writerow([csv_cell(record[name]) for name in names]))
        if len(lines) >= ROWS_PER_WRITE:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def stream_json(records, schema_url=""):
    """A JSON document {"license", "schema", "data": [records]}, written record by record."""
    head = {
        "license": LICENSE,
        "schema": {"path": schema_url, "version": load_schema()["version"]},
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "data": ['
    separator = "\n"
    for record in records:
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"
