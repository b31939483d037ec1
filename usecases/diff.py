"""Readable differences between two versions of a case.

One service for every place that shows what changed: the review of a proposed update, the
review of a resubmission (what changed since the moderator asked for changes), the history of
direct edits, and the public history. A version is a plain dict of the contributor form's
values (`use_case_values()`, the format of `UseCaseRevision.data` and of
`ModerationEvent.snapshot`); `changes()` turns two of them into labelled lines, with choice
labels, names instead of ids, and long texts compared word by word.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db import models
from django.forms.models import model_to_dict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collectivites.models import Collectivite

from .models import CONTENT_FIELDS, KeyFigure, Technique, Theme, UseCase
from .mutualisation.forms import SOLUTION_SEPARATOR, solutions_label
from .mutualisation.models import Solution

# The fields of a version, in the order of the sheet.
FIELDS = [
    "title",
    "summary",
    "theme",
    "tags",
    "partners",
    *[name for name in CONTENT_FIELDS if name not in ("title", "summary", "vendor")],
    # The solutions' names as the form holds them (usecases.mutualisation), then the free text.
    "solutions_text",
    "vendor",
    "techniques",
    "contact_role",
    "contact_email",
    "contact_is_public",
]
# Versions' keys that are not columns of the case: set apart on a proposed sheet.
RELATIONS = ("theme", "tags", "techniques", "partners", "solutions_text")
LABELS = {
    "partners": gettext_lazy("Collectivités partenaires"),
    "solutions_text": gettext_lazy("Solution utilisée"),
    "keyfigure": gettext_lazy("Chiffres clés"),
    "resource": gettext_lazy("Ressources"),
}
# Texts longer than this are compared word by word rather than shown whole twice.
LONG_TEXT = 80
TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Change:
    name: str
    label: str
    before: str
    after: str
    # For long texts: (operation, text) pieces, operation being "equal", "delete" or "insert".
    words: list = field(default_factory=list)


FIGURE = re.compile(r"^figure_(\d+)_(value|unit|label)$")


def use_case_values(use_case):
    """The editable values of a saved case, as the contributor form holds them."""
    from .forms.key_figures import key_figure_initial

    data = model_to_dict(use_case, fields=[name for name in FIELDS if name != "tags"])
    data.update(key_figure_initial(use_case))
    data["theme"] = use_case.theme_id or ""
    data["techniques"] = sorted(t.pk for t in use_case.techniques.all())
    data["partners"] = sorted(p.pk for p in use_case.partners.all())
    data["tags"] = ", ".join(sorted(tag.name for tag in use_case.tags.all()))
    data["solutions_text"] = solutions_label(use_case.solutions.all())
    return {name: ("" if value is None else value) for name, value in data.items()}


def label(name):
    """The French label of a field: its verbose name, without the form's « obligatoire »."""
    if name in LABELS:
        return str(LABELS[name])
    figure = FIGURE.match(name)
    if figure:
        from .forms.key_figures import PART_LABELS

        return _("Chiffre clé %(slot)s — %(part)s") % {
            "slot": figure.group(1),
            "part": PART_LABELS[figure.group(2)],
        }
    try:
        return str(capfirst(UseCase._meta.get_field(name).verbose_name))
    except Exception:  # noqa: BLE001 - a key of an older snapshot: its name is all we have
        return name


def _same(before, after):
    if isinstance(before, list) or isinstance(after, list):
        return sorted(map(str, before or [])) == sorted(map(str, after or []))
    return _text(before) == _text(after)


def _text(value):
    return "" if value is None else str(value).strip()


def changes(before, after):
    """The fields whose value differs between two versions, in the order of the sheet."""
    others = sorted({*before, *after} - set(FIELDS), key=_figure_order)
    names = [name for name in [*FIELDS, *others] if name in before or name in after]
    changed = [name for name in names if not _same(before.get(name), after.get(name))]
    names_of = _Names([before, after], changed)
    result = []
    for name in changed:
        old = names_of.display(name, before.get(name))
        new = names_of.display(name, after.get(name))
        words = word_diff(old, new) if max(len(old), len(new)) > LONG_TEXT else []
        result.append(Change(name, label(name), old, new, words))
    return result


def _figure_order(name):
    figure = FIGURE.match(name)
    parts = ("value", "unit", "label")
    return (int(figure.group(1)), parts.index(figure.group(2))) if figure else (99, 0)


def word_diff(before, after):
    """(operation, text) pieces turning `before` into `after`, word by word."""
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    pieces = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "".join(new[j1:j2])))
    return pieces


class _Names:
    """Names for the ids of the changed relations, read in one query per relation."""

    def __init__(self, versions, names):
        def ids(name):
            found = set()
            for version in versions:
                value = version.get(name)
                if isinstance(value, list):
                    found.update(value)
                elif value not in (None, ""):
                    found.add(value)
            return found

        self.names = {
            "theme": self._read(Theme, ids("theme")) if "theme" in names else {},
            "techniques": self._read(Technique, ids("techniques")) if "techniques" in names else {},
            "partners": self._collectivites(ids("partners")) if "partners" in names else {},
        }

    @staticmethod
    def _read(model, ids):
        wanted = [int(pk) for pk in ids if str(pk).isdigit()]
        return dict(model.objects.filter(pk__in=wanted).values_list("pk", "name"))

    @staticmethod
    def _collectivites(ids):
        # Homonymous communes abound: the code tells them apart.
        wanted = [int(pk) for pk in ids if str(pk).isdigit()]
        rows = Collectivite.objects.filter(pk__in=wanted).values_list("pk", "name", "code")
        return {pk: f"{name} ({code})" for pk, name, code in rows}

    def display(self, name, value):
        if name in self.names:
            values = value if isinstance(value, list) else [value]
            shown = [self.names[name].get(_int(pk), str(pk)) for pk in values if pk != ""]
            return ", ".join(sorted(shown, key=str.casefold))
        if value in (None, ""):
            return ""
        try:
            model_field = UseCase._meta.get_field(name)
        except Exception:  # noqa: BLE001 - see label()
            return _text(value)
        if isinstance(model_field, models.BooleanField):
            return _("Oui") if value in (True, "True", "true", "on", 1) else _("Non")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        return _text(value)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


class _Rows(list):
    """A list a template can read like a related manager: `{% for x in rows.all %}`."""

    def all(self):
        return self


class ProposedSheet:
    """A published case seen with the values of a proposed update, for the sheet template.

    Nothing is saved: the case's fields are set on a copy, and its relations are lists.
    """

    def __init__(self, use_case, values):
        proposed = UseCase.objects.get(pk=use_case.pk)
        for name in FIELDS:
            if name in RELATIONS or name not in values:
                continue
            model_field = UseCase._meta.get_field(name)
            value = values[name]
            setattr(
                proposed,
                name,
                model_field.to_python(None if value == "" and model_field.null else value),
            )
        proposed.theme = Theme.objects.filter(pk=_int(values.get("theme")) or None).first()
        self._use_case = proposed
        self.techniques = _Rows(Technique.objects.filter(pk__in=values.get("techniques") or []))
        self.partners = _Rows(
            Collectivite.objects.filter(pk__in=values.get("partners") or []).order_by("name")
        )
        names = [name.strip() for name in (values.get("tags") or "").split(",") if name.strip()]
        self.tags = _Rows(_Tag(name) for name in names)
        self.key_figures = _Rows(_proposed_figures(values))
        self.solutions = _Rows(_proposed_solutions(use_case, values))

    def __getattr__(self, name):
        return getattr(self._use_case, name)


def _proposed_solutions(use_case, values):
    """The solutions a proposed version names (created when it was saved), else the current."""
    if "solutions_text" not in values:
        return list(use_case.solutions.all())
    names = [
        " ".join(name.split()).lower()
        for name in (values["solutions_text"] or "").split(SOLUTION_SEPARATOR)
        if name.strip()
    ]
    if not names:
        return []
    query = models.Q()
    for name in names:
        query |= models.Q(name__iexact=name)
    found = {solution.name.lower(): solution for solution in Solution.objects.filter(query)}
    return [found[name] for name in names if name in found]


def _proposed_figures(values):
    """The key figures of a proposed version, as unsaved KeyFigure rows (filled slots only)."""
    from .forms.key_figures import KEY_FIGURE_SLOTS, PARTS, field_name

    figures = []
    for slot in range(1, KEY_FIGURE_SLOTS + 1):
        parts = {part: str(values.get(field_name(slot, part)) or "").strip() for part in PARTS}
        if parts["value"] or parts["label"]:
            figures.append(KeyFigure(position=slot, **parts))
    return figures


@dataclass
class _Tag:
    name: str

    @property
    def slug(self):
        from django.utils.text import slugify

        return slugify(self.name)
