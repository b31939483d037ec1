"""French typography for display: the spaces that keep « 7 800 km » and « Pourquoi ? » together.

`french(text)` puts the no-break spaces French typesetting requires into text written by
contributors, at render time only (the `typo` template filter): what is stored, exported and
served by the API stays as it was typed.

- a narrow no-break space (U+202F) before « ; ! ? » and inside guillemets « »;
- a no-break space (U+00A0) before « : », between the groups of digits of a number
  (« 7 800 »), and between a number and « % », « € » or a unit (« 5 860 km »).

`french_date(value)` writes a day as French does: « 1er décembre 2026 », « 2 décembre 2026 ».

Text that must stay exactly as typed is left alone: web and e-mail addresses, `code`, times
and ratios (« 10:30 »), and, in HTML, tags, entities and the contents of <code>, <pre>, <kbd>,
<samp>, <script> and <style>. Already-correct text comes out unchanged.
"""

import re

from django.utils.formats import date_format
from django.utils.safestring import SafeData, mark_safe

NBSP = "\u00a0"
NNBSP = "\u202f"
# Spaces a contributor may have typed (or pasted) before punctuation or inside guillemets.
_SPACES = " \t\u00a0\u202f\u2009\u2007"
_SPACE = f"[{_SPACES}]"

# Spans copied verbatim: addresses, inline code, e-mail addresses.
_PROTECTED = re.compile(
    r"`[^`\n]*`"
    r"|\b(?:https?|ftp)://[^\s<>\"«»]+"
    r"|\bwww\.[^\s<>\"«»]+"
    r"|\bmailto:[^\s<>\"«»]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)

# Units written after a number. « m » and « h » only as whole words: « 5 mois » is untouched.
_UNITS = (
    "€|k€|M€|Md€|Mds€|%|‰|°C|°|km/h|km²|km|m²|m³/h|m³|m/s|m|cm|mm|ha|kg|g|t|l|L|"
    "MWh|GWh|kWh|TWh|Wh|kW|MW|GW|W|Mo|Go|To|ko|h|min|s|ms|x"
)
_RULES = [
    # Digit groups of a number: « 7 800 », « 1 000 000 » (a group of 1 to 3 digits first).
    (re.compile(rf"(?<![\d.,])(\d{{1,3}})(?:{_SPACE}(?=\d{{3}}(?!\d)))"), rf"\1{NBSP}"),
    # A number and its unit, « % » or « € »: « 12 % », « 5 860 km », « 4,99 M€ ».
    (re.compile(rf"(\d){_SPACE}?(?=(?:{_UNITS})(?![\w²³]))"), rf"\1{NBSP}"),
    # Before « ; ! ? »: typed spaces, or none after a word (« Vraiment? », « oui ; »).
    (re.compile(rf"(?:(?<=[\w)\]»’\"'…]){_SPACE}*|{_SPACE}+)([;!?])"), rf"{NNBSP}\1"),
    # Before « : » when it ends a phrase (« Résultats : », « Note: »), not in « 10:30 ».
    (re.compile(rf"(?:(?<=[\w)\]»’\"'…]){_SPACE}*|{_SPACE}+):(?=\s|$)"), f"{NBSP}:"),
    # Inside guillemets.
    (re.compile(rf"«{_SPACE}*"), f"«{NNBSP}"),
    (re.compile(rf"{_SPACE}*»"), f"{NNBSP}»"),
]

# HTML: tags and entities are copied verbatim, and so is everything inside these elements.
_HTML_TOKEN = re.compile(r"(<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);)")
_VERBATIM_ELEMENTS = {"code", "pre", "kbd", "samp", "script", "style"}
_TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][\w-]*)")


def _apply_rules(text):
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def french_text(text):
    """French spaces in plain text, leaving addresses, code and times as they are."""
    parts, last = [], 0
    for match in _PROTECTED.finditer(text):
        parts.append(_apply_rules(text[last : match.start()]))
        parts.append(match.group())
        last = match.end()
    parts.append(_apply_rules(text[last:]))
    return "".join(parts)


def french_html(html):
    """French spaces in the text of an HTML fragment; markup and verbatim elements untouched."""
    out, verbatim_depth = [], 0
    for token in _HTML_TOKEN.split(html):
        if not token:
            continue
        if token.startswith("<"):
            tag = _TAG_NAME.match(token)
            if tag and tag.group(2).lower() in _VERBATIM_ELEMENTS:
                closing = bool(tag.group(1))
                verbatim_depth = max(0, verbatim_depth + (-1 if closing else 1))
            out.append(token)
        elif token.startswith("&") or verbatim_depth:
            out.append(token)
        else:
            out.append(french_text(token))
    return "".join(out)


def french(value):
    """French spaces in `value`: HTML-aware if it is already safe HTML, plain text otherwise.

    The result of plain text is plain text again (the template still escapes it); safe HTML
    stays safe.
    """
    if value is None or value == "":
        return value
    if isinstance(value, SafeData):
        return mark_safe(french_html(str(value)))
    return french_text(str(value))


def french_date(value, format="j F Y"):
    """A date in words, the first of the month as an ordinal: « 1er décembre 2026 ».

    `format` is Django's date format, starting with the day (« j »); aware datetimes are given
    in the current time zone by the caller (the `date_fr` filter does it, as `date` does).
    """
    if value in (None, ""):
        return ""
    text = date_format(value, format)
    if format.startswith("j") and value.day == 1:
        text = "1er" + text[1:]
    return text
