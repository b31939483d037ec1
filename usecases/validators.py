"""Validation of what contributors send: resource links and uploaded documents."""

import csv
import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# What each accepted extension must contain; the name alone proves nothing.
ZIP_MARKERS = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}
ACCEPTED_EXTENSIONS = tuple(CONTENT_TYPES)

https_url_validator = URLValidator(
    schemes=["https"], message=_("Saisissez une adresse web sécurisée commençant par https://.")
)


def validate_https_url(value):
    """Only https links: no javascript:, data:, http: or other schemes."""
    https_url_validator(value)


def _is_pdf(head, upload):
    return head.startswith(b"%PDF-")


def _zip_names(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.namelist(), archive
    except (zipfile.BadZipFile, OSError, ValueError):
        return None, None


def _is_odt(head, upload):
    # An ODT archive starts with an uncompressed "mimetype" entry (OpenDocument §3.3).
    return head.startswith(b"PK\x03\x04") and ODT_MIMETYPE in head[:100]


def _is_ooxml(extension):
    def check(head, upload):
        if not head.startswith(b"PK\x03\x04"):
            return False
        names, _archive = _zip_names(upload)
        return bool(names) and ZIP_MARKERS[extension] in names

    return check


def _is_csv(head, upload):
    upload.seek(0)
    data = upload.read(64 * 1024)
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return False
    stripped = text.lstrip().lower()
    if stripped.startswith(("<", "{", "%pdf")):
        return False
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return False
    return bool(rows)


CHECKS = {
    ".pdf": _is_pdf,
    ".odt": _is_odt,
    ".docx": _is_ooxml(".docx"),
    ".xlsx": _is_ooxml(".xlsx"),
    ".csv": _is_csv,
}


def validate_document(upload):
    """Refuse empty, oversized, mis-named or disguised files; return the content type."""
    name = upload.name or ""
    if "/" in name or "\\" in name or name.startswith(".") or ".." in name:
        raise ValidationError(_("Ce nom de fichier n’est pas accepté."), code="bad_name")
    extension = Path(name).suffix.lower()
    if extension not in CHECKS:
        raise ValidationError(
            _("Format non accepté : déposez un fichier PDF, ODT, DOCX, XLSX ou CSV."),
            code="bad_extension",
        )
    if upload.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("Le fichier pèse %(size)s : la limite est de %(limit)s Mo."),
            params={
                "size": filesizeformat(upload.size),
                "limit": settings.DOCUMENT_MAX_BYTES // settings.MIB,
            },
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(512)
    if not CHECKS[extension](head, upload):
        raise ValidationError(
            _("Le contenu du fichier ne correspond pas à un document %(kind)s valide."),
            params={"kind": extension[1:].upper()},
            code="bad_content",
        )
    upload.seek(0)
    return CONTENT_TYPES[extension]
