"""The public history of a sheet: its published versions, what changed, its confirmations.

Built from the moderation history (ModerationEvent) alone: a publication or a direct edit keeps
the version it published in its event's `snapshot`, an accepted update is its revision's data,
a « Toujours à jour » confirmation (reviews app) is an event from published to published that
changes no field, and `usecases.diff` tells what changed between two versions. The page
(/cas-d-usage/<slug>/historique/) and the API (/api/v1/cas-d-usage/<slug>/historique/) show
it. Only the sheet's public fields are shown: never who acted, their messages, the contact
address, drafts or updates that were not accepted.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from collectivites.models import Collectivite

from . import diff
from .choices import Status
from .exports import isoformat
from .models import ModerationEvent, Technique, Theme

# Fields of a version that the sheet does not show to everyone.
PRIVATE_FIELDS = {"contact_role", "contact_email", "contact_is_public"}

PUBLICATION, REPUBLICATION, UPDATE, EDIT, CONFIRMATION = (
    "publication",
    "republication",
    "update",
    "edit",
    "confirmation",
)
TITLES = {
    PUBLICATION: _("Première publication"),
    REPUBLICATION: _("Nouvelle publication"),
    UPDATE: _("Mise à jour"),
    EDIT: _("Correction par l’équipe de modération"),
    CONFIRMATION: _("Informations confirmées à jour"),
}


@dataclass
class Entry:
    kind: str
    date: datetime
    version: int | None = None
    changes: list = field(default_factory=list)
    # The detail of the changes was not kept (versions recorded before the history existed).
    unknown: bool = False

    @property
    def title(self):
        return TITLES[self.kind]


def is_public(name):
    return (name in diff.FIELDS and name not in PRIVATE_FIELDS) or bool(diff.FIGURE.match(name))


def _public(values):
    if not values:
        return None
    return {name: value for name, value in values.items() if is_public(name)}


def _kind(event, published_before):
    if event.revision_id is not None:
        return UPDATE
    if event.from_status == Status.PUBLISHED:
        return EDIT
    return REPUBLICATION if published_before else PUBLICATION


def _events(use_cases):
    """The events of these cases that published something or confirmed it, in one query."""
    return (
        ModerationEvent.objects.filter(
            use_case__in=[use_case.pk for use_case in use_cases], to_status=Status.PUBLISHED
        )
        .select_related("revision")
        .only(
            "use_case_id",
            "created_at",
            "from_status",
            "to_status",
            "changed_fields",
            "snapshot",
            "revision_id",
            "revision__data",
        )
        .order_by("use_case_id", "created_at", "pk")
    )


def _versions(use_case, events):
    """([(kind, date, public values or None, changed fields)] of every published version,
    oldest first, [dates of the confirmations]) of one case, from its events."""
    versions, confirmations = [], []
    for event in events:
        is_edit = event.from_status == Status.PUBLISHED
        if is_edit and not event.changed_fields:
            confirmations.append(event.created_at)  # « Toujours à jour »: no field changed
            continue
        kind = _kind(event, any(v[0] in (PUBLICATION, REPUBLICATION) for v in versions))
        values = event.revision.data if event.revision_id else event.snapshot
        versions.append((kind, event.created_at, _public(values), event.changed_fields))
    if not any(version[0] == PUBLICATION for version in versions):
        # Published without a recorded event (fixtures, or before the history existed).
        versions.insert(0, (PUBLICATION, use_case.published_at, None, []))
    return versions, confirmations


def _with_names(versions):
    """Versions whose relation ids are replaced by names, read in one query per relation.

    usecases.diff then shows the names as they are and queries nothing more, so that the page
    costs the same whatever the number of versions.
    """
    ids = {"theme": set(), "techniques": set(), "partners": set()}
    for values in versions:
        for name, found in ids.items():
            value = (values or {}).get(name)
            found.update(value if isinstance(value, list) else [value])

    names = {
        "theme": _names(Theme, ids["theme"], ("pk", "name"), lambda row: row[1]),
        "techniques": _names(Technique, ids["techniques"], ("pk", "name"), lambda row: row[1]),
        # Homonymous communes abound: the code tells them apart, as in usecases.diff.
        "partners": _names(
            Collectivite, ids["partners"], ("pk", "name", "code"), lambda r: f"{r[1]} ({r[2]})"
        ),
    }
    named = []
    for values in versions:
        if values is None:
            named.append(None)
            continue
        values = dict(values)
        for name, table in names.items():
            if name not in values:
                continue
            value = values[name]
            if isinstance(value, list):
                values[name] = sorted(
                    (table.get(_int(pk), str(pk)) for pk in value), key=str.casefold
                )
            elif value not in (None, ""):
                values[name] = table.get(_int(value), str(value))
        named.append(values)
    return named


def _names(model, ids, columns, label):
    wanted = [int(pk) for pk in ids if str(pk).isdigit()]
    if not wanted:
        return {}
    return {row[0]: label(row) for row in model.objects.filter(pk__in=wanted).values_list(*columns)}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def public_histories(use_cases):
    """{pk: entries of its public history, the newest first} of published cases, in at most
    four queries whatever their number. Each case needs its `published_at`."""
    events = {}
    for event in _events(use_cases):
        events.setdefault(event.use_case_id, []).append(event)
    per_case = {
        use_case.pk: _versions(use_case, events.get(use_case.pk, [])) for use_case in use_cases
    }
    every_version = [version for versions, _ in per_case.values() for version in versions]
    named = iter(_with_names([version[2] for version in every_version]))
    return {
        pk: _entries(versions, [next(named) for _ in versions], confirmations)
        for pk, (versions, confirmations) in per_case.items()
    }


def public_history(use_case):
    """The entries of one sheet's public history, the newest first."""
    return public_histories([use_case])[use_case.pk]


def _entries(versions, values, confirmations):
    entries, previous = [], None
    for number, ((kind, date, _raw, changed_fields), current) in enumerate(
        zip(versions, values, strict=True), start=1
    ):
        entry = Entry(kind, date, version=number)
        if kind != PUBLICATION:
            if previous is not None and current is not None:
                entry.changes = diff.changes(previous, current)
            elif kind == EDIT and changed_fields:
                # Only the names of the fields were kept: the labels, without values.
                entry.changes = [
                    diff.Change(name, diff.label(name), "", "")
                    for name in changed_fields
                    if is_public(name)
                ]
                entry.unknown = True
            else:
                entry.unknown = True
        entries.append(entry)
        # An edit recorded without its version leaves the next comparison unknown.
        previous = current
    entries += [Entry(CONFIRMATION, date) for date in confirmations]
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries


def entry_data(entry):
    """An entry as open data (the API's history, the JSON export's `history`)."""
    return {
        "kind": entry.kind,
        "title": str(entry.title),
        "date": isoformat(entry.date),
        "version": entry.version,
        "changes": [
            {
                "field": change.name,
                "label": change.label,
                "before": "" if entry.unknown else change.before,
                "after": "" if entry.unknown else change.after,
            }
            for change in entry.changes
        ],
        "complete": not entry.unknown,
    }


def current_version(entries):
    """The number of the sheet's current version: that of its latest published version."""
    return max((entry.version for entry in entries if entry.version is not None), default=0)
