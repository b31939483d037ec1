"""The `typo` and `date_fr` filters: French typography at render time.

A builtin of the template engine (settings.TEMPLATES), so every template can write
{{ use_case.summary|typo }} without {% load %}. Plain text stays plain text (the template still
escapes it); safe HTML, such as highlighted search results, stays safe.
"""

from django import template

from bibliotheque.typography import french, french_date

register = template.Library()


@register.filter(is_safe=True)
def typo(value):
    """« Pourquoi ? » with the no-break spaces of French typesetting (bibliotheque.typography)."""
    return french(value)


@register.filter(expects_localtime=True)
def date_fr(value, format="j F Y"):
    """{{ day|date_fr }}: « 1er décembre 2026 » (the `date` filter would write « 1 décembre »)."""
    return french_date(value, format)
