"""The catalogue as an OpenDocument spreadsheet (.ods) for people, not machines.

CSV and JSON keep the schema's codes (`vendor`, `on_premise`) and lists as JSON arrays, for
programs. The spreadsheet is what a steering committee opens: French column headers (the
schema's titles), choice labels instead of codes, lists one item per line of a cell, dates and
numbers typed so that they sort. It is written row by row into a zip archive held in a spooled
temporary file, so that memory stays flat whatever the number of cases.

OpenDocument is the format the French administration's interoperability framework (RGI)
recommends; LibreOffice, Excel and every online office suite open it.
"""

import datetime
import re
import tempfile
import zipfile
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from collectivites.choices import Kind

from .exports import load_schema
from .models import Technique, UseCase

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
# Columns that only make sense to a program: identifiers repeated in a readable column.
MACHINE_ONLY = frozenset({"slug", "collectivite_slug", "theme"})
# Above this size the archive goes from memory to a temporary file on disk.
SPOOL_BYTES = 8 * 1024 * 1024
# XML 1.0 forbids most control characters; a pasted text may hold some.
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
CONTENT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name={name}>
"""
CONTENT_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>\n"


def columns():
    """(record key, French header) of the spreadsheet's columns, in schema order."""
    return [
        (field["name"], field["title"])
        for field in load_schema()["fields"]
        if field["name"] not in MACHINE_ONLY
    ]


def value_labels():
    """{record key: {code: French label}} for every coded column."""
    labels = {
        field.name: {str(code): str(label) for code, label in field.choices}
        for field in UseCase._meta.get_fields()
        if getattr(field, "choices", None)
    }
    labels["collectivite_kind"] = {code: str(label) for code, label in Kind.choices}
    labels["techniques"] = dict(Technique.objects.values_list("slug", "name"))
    return labels


def readable(value, labels):
    """A record's value as people read it: a label, « Oui »/« Non », a list of labels."""
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, list):
        return [labels.get(item, item) for item in value]
    if isinstance(value, str) and value in labels:
        return labels[value]
    return value


def text_paragraphs(value):
    if isinstance(value, list):
        lines = [INVALID_XML.sub("", str(item)) for item in value]
    else:
        lines = INVALID_XML.sub("", str(value)).replace("\r\n", "\n").split("\n")
    return "".join(f"<text:p>{escape(line)}</text:p>" for line in lines)


def cell(value):
    """One <table:table-cell>, typed: numbers and dates sort as such in the spreadsheet."""
    if value is None or value == "" or value == []:
        return "<table:table-cell/>"
    if isinstance(value, int) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, str) and value.endswith("Z") and value[:4].isdigit():
        moment = datetime.datetime.fromisoformat(value)
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{moment.date()}">'
            f"<text:p>{moment:%d/%m/%Y}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string">{text_paragraphs(value)}</table:table-cell>'
    )


def row(values):
    return "<table:table-row>" + "".join(cell(value) for value in values) + "</table:table-row>\n"


def write_ods(records):
    """The spreadsheet of `records` (open-data records), as a file object positioned at 0."""
    spreadsheet = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    keys, headers = zip(*columns(), strict=True)
    labels = value_labels()
    with zipfile.ZipFile(spreadsheet, "w") as archive:
        # The mimetype comes first and uncompressed, so that it can be read at a fixed offset.
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("content.xml", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as content:
            content.write(CONTENT_HEAD.format(name=quoteattr(_("Cas d’usage"))).encode())
            content.write(row(headers).encode())
            for record in records:
                values = (readable(record[key], labels.get(key, {})) for key in keys)
                content.write(row(values).encode())
            content.write(CONTENT_TAIL.encode())
    spreadsheet.seek(0)
    return spreadsheet
