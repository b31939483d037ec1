"""The `typo` filter: French typography for user-written text, at render time.

A builtin of the template engine (settings.TEMPLATES), so every template can write
{{ use_case.summary|typo }} without {% load %}. Plain text stays plain text (the template still
escapes it); safe HTML, such as highlighted search results, stays safe.
"""

from django import template

from bibliotheque.typography import french

register = template.Library()


@register.filter(is_safe=True)
def typo(value):
    """« Pourquoi ? » with the no-break spaces of French typesetting (bibliotheque.typography)."""
    return french(value)
