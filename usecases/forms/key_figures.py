"""Up to four key figures (value, unit, label) in the contributor's form of a sheet.

The figures are plain fields of the sheet form (figure_1_value, figure_1_unit, figure_1_label…),
so that the form works without JavaScript and a proposed update stores them in its JSON snapshot
like any other field. Saving the form replaces the case's key figures with the ones filled in.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import KeyFigure

KEY_FIGURE_SLOTS = 4
PARTS = ("value", "unit", "label")
PART_LABELS = {"value": _("valeur"), "unit": _("unité"), "label": _("libellé")}
PART_MAX_LENGTHS = {
    part: KeyFigure._meta.get_field(part).max_length
    for part in PARTS  # noqa: SLF001
}
PART_HELP_TEXTS = {
    "value": _("Le nombre, par exemple « 12 » ou « 7 800 »."),
    "unit": _("Facultative : « fuites », « km », « % », « M€ »…"),
    "label": _("Ce que mesure le chiffre, par exemple « localisées en deux semaines »."),
}


def field_name(slot, part):
    return f"figure_{slot}_{part}"


KEY_FIGURE_FIELDS = [
    field_name(slot, part) for slot in range(1, KEY_FIGURE_SLOTS + 1) for part in PARTS
]


def key_figure_initial(use_case):
    """The figure fields of a stored case, as form data (empty strings for unused slots)."""
    data = dict.fromkeys(KEY_FIGURE_FIELDS, "")
    if use_case.pk:
        for slot, figure in enumerate(use_case.key_figures.all()[:KEY_FIGURE_SLOTS], start=1):
            for part in PARTS:
                data[field_name(slot, part)] = getattr(figure, part)
    return data


class KeyFigureFieldsMixin:
    """For a ModelForm of UseCase: the figure fields, their checks and their saving."""

    def add_key_figure_fields(self):
        for slot in range(1, KEY_FIGURE_SLOTS + 1):
            for part in PARTS:
                self.fields[field_name(slot, part)] = forms.CharField(
                    label=_("Chiffre clé %(slot)s — %(part)s")
                    % {"slot": slot, "part": PART_LABELS[part]},
                    max_length=PART_MAX_LENGTHS[part],
                    required=False,
                    help_text=PART_HELP_TEXTS[part] if slot == 1 else "",
                )
        if not self.is_bound:
            stored = key_figure_initial(self.instance)
            for name, value in stored.items():
                self.initial.setdefault(name, value)

    def clean_key_figures(self, cleaned_data):
        """A figure needs a value and a label; its unit is optional."""
        self.key_figures = []
        for slot in range(1, KEY_FIGURE_SLOTS + 1):
            parts = {part: (cleaned_data.get(field_name(slot, part)) or "") for part in PARTS}
            if not any(parts.values()):
                continue
            for part in ("value", "label"):
                if not parts[part] and field_name(slot, part) not in self.errors:
                    self.add_error(
                        field_name(slot, part),
                        _("Indiquez la valeur et le libellé de ce chiffre clé."),
                    )
            self.key_figures.append(parts)

    def key_figure_data(self):
        """The figure fields of the cleaned form, for a proposed update's snapshot.

        Empty when the request carried no figure field: the update then leaves them as they are.
        """
        if not self._key_figures_submitted():
            return {}
        return {name: self.cleaned_data.get(name) or "" for name in KEY_FIGURE_FIELDS}

    def _key_figures_submitted(self):
        # An update proposed before the figures were in the form carries none of these fields:
        # applying it must keep the case's figures rather than erase them.
        return any(self.add_prefix(name) in self.data for name in KEY_FIGURE_FIELDS)

    def _save_m2m(self):
        super()._save_m2m()
        if not self._key_figures_submitted():
            return
        self.instance.key_figures.all().delete()
        KeyFigure.objects.bulk_create(
            KeyFigure(use_case=self.instance, position=position, **parts)
            for position, parts in enumerate(self.key_figures)
        )
