"""Open-data pages and downloads: /donnees/, the CSV and JSON exports, the schema, robots.txt.

The exports take the same query parameters as /cas-d-usage/ and select through the same engine
(usecases.listing); they stream their rows, so that memory stays flat whatever the size of the
catalogue.
"""

from itertools import batched

from django.db.models import Count, Max
from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from api.serializers import site_base_url
from usecases.exports import (
    CHUNK_SIZE,
    LICENSE,
    iter_records,
    load_schema,
    stream_csv,
    stream_json,
    use_case_record,
)
from usecases.history import entry_data, public_histories
from usecases.listing import Listing
from usecases.models import Technique, Theme, UseCase
from usecases.spreadsheet import MIMETYPE as ODS_MIMETYPE
from usecases.spreadsheet import write_ods


def _records(listing, request):
    cases = UseCase.objects.published().with_public_record_data()
    return iter_records(listing.iterate(cases, chunk_size=CHUNK_SIZE), site_base_url(request))


def _download(stream, content_type, filename):
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_csv(request):
    """Published cases as CSV (UTF-8 with BOM, comma-separated), filtered like the list."""
    listing = Listing(request.GET)
    if not listing.is_valid():
        return listing.error_response("text/plain")
    records = _records(listing, request)
    return _download(stream_csv(records), "text/csv; charset=utf-8", "cas-d-usage.csv")


# `?historique=1` on the JSON export: each record also carries its public history.
HISTORY_PARAMETER = "historique"


def _records_with_history(listing, request):
    """Records with a `history` (usecases.history), a few queries per chunk of cases."""
    cases = UseCase.objects.published().with_public_record_data()
    base_url = site_base_url(request)
    for chunk in batched(listing.iterate(cases, chunk_size=CHUNK_SIZE), CHUNK_SIZE, strict=False):
        histories = public_histories(chunk)
        for use_case in chunk:
            record = use_case_record(use_case, base_url)
            record["history"] = [entry_data(entry) for entry in histories[use_case.pk]]
            yield record


def export_json(request):
    """Published cases as one JSON document, filtered like the list; `?historique=1` adds
    each case's public history."""
    query = request.GET.copy()
    with_history = query.pop(HISTORY_PARAMETER, None)
    if with_history not in (None, ["1"]):
        message = _("Le paramètre « historique » ne prend que la valeur 1.")
        payload = {"detail": message, "errors": {HISTORY_PARAMETER: [message]}}
        return JsonResponse(payload, status=400, json_dumps_params={"ensure_ascii": False})
    listing = Listing(query)
    if not listing.is_valid():
        return listing.error_response("application/json")
    records = (_records_with_history if with_history else _records)(listing, request)
    schema_url = request.build_absolute_uri(reverse("opendata:schema"))
    return _download(
        stream_json(records, schema_url), "application/json; charset=utf-8", "cas-d-usage.json"
    )


def export_ods(request):
    """Published cases as an OpenDocument spreadsheet for people: French headers and labels."""
    listing = Listing(request.GET)
    if not listing.is_valid():
        return listing.error_response("text/plain")
    spreadsheet = write_ods(_records(listing, request))
    return FileResponse(
        spreadsheet, as_attachment=True, filename="cas-d-usage.ods", content_type=ODS_MIMETYPE
    )


def schema(request):
    """The Table Schema of a record, at its stable address, with absolute links."""
    descriptor = {
        **load_schema(),
        "path": request.build_absolute_uri(reverse("opendata:schema")),
        "homepage": request.build_absolute_uri(reverse("opendata:index")),
    }
    response = JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})
    return response


def index(request):
    """/donnees/: what the data is, its licence and schema, the downloads and the API."""
    descriptor = load_schema()
    fields = [
        {
            "name": field["name"],
            "title": field["title"],
            "type": field["type"],
            "description": field["description"],
            "required": field.get("constraints", {}).get("required", False),
        }
        for field in descriptor["fields"]
    ]
    context = {
        "stats": UseCase.objects.published().aggregate(
            count=Count("pk"), last_update=Max("updated_at")
        ),
        "schema_version": descriptor["version"],
        "fields": fields,
        "license": LICENSE,
        "themes": Theme.objects.all(),
        "techniques": Technique.objects.all(),
        "base_url": site_base_url(request),
        "today": timezone.localdate(),
    }
    return render(request, "pages/donnees.html", context)


def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("opendata:sitemap"))
    return render(
        request,
        "pages/robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )
