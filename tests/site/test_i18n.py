"""Every user-facing string of the templates goes through gettext (French msgids).

A template linter: text and user-facing attributes (aria-label, alt, title, placeholder, the
value of a button) must sit inside {% translate %} or {% blocktranslate %}, and so must the
prose passed to an include or a `default` filter. Code samples (<code>, <pre>, <kbd>, <samp>),
comments, and the insides of <script> and <style> are not prose.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates"
# robots.txt is read by crawlers, not people.
NOT_FOR_PEOPLE = {"pages/robots.txt"}
TEMPLATES = sorted(
    p
    for p in TEMPLATE_DIR.rglob("*")
    if p.suffix in {".html", ".txt"} and str(p.relative_to(TEMPLATE_DIR)) not in NOT_FOR_PEOPLE
)

# A Django tag, variable or comment, or an HTML tag (which may hold Django atoms), or text.
DJANGO_ATOM = r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"
HTML_TAG = rf"<(?:!--.*?--|[!/]?[a-zA-Z](?:{DJANGO_ATOM}|\"[^\"]*\"|'[^']*'|[^'\">])*)>"
TOKEN = re.compile(rf"({DJANGO_ATOM}|{HTML_TAG})", re.S)
TAG_NAME = re.compile(r"<\s*/?\s*([a-zA-Z0-9-]+)")
ATTRIBUTE = re.compile(
    rf"""\s([a-zA-Z:-]+)\s*=\s*("(?:{DJANGO_ATOM}|[^"])*"|'(?:{DJANGO_ATOM}|[^'])*')""", re.S
)
LETTER = re.compile(r"[^\W\d_]")
ENTITY = re.compile(r"&#?[a-zA-Z0-9]+;")
PROSE_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder", "aria-description"}
NOT_PROSE_ELEMENTS = {"code", "pre", "kbd", "samp", "script", "style"}
# "…" or '…' passed as prose: `with title="…"` in an include, `|default:"…"`.
PROSE_LITERAL = re.compile(
    r"""(?:\bwith\b.*?\w+=|\s\w+=|\|default(?:_if_none)?:)\s*(["'])(.*?)\1"""
)


def tokens(source):
    """(kind, text) pairs: "django", "html" or "text"."""
    for piece in TOKEN.split(source):
        if not piece:
            continue
        if re.fullmatch(DJANGO_ATOM, piece, re.S):
            yield "django", piece
        elif piece.startswith("<") and TOKEN.fullmatch(piece):
            yield "html", piece
        else:
            yield "text", piece


def is_prose(text):
    """Letters left once Django atoms and HTML entities are removed."""
    return bool(LETTER.search(ENTITY.sub("", re.sub(DJANGO_ATOM, "", text, flags=re.S))))


def untranslated(source):
    """The user-facing strings of a template that escape translation."""
    found = []
    in_blocktranslate = in_comment = False
    code_depth = 0
    class_block = False  # {% block body_class %}: CSS classes, not prose
    for kind, text in tokens(source):
        after_class_block, class_block = class_block, False
        if kind == "django":
            inner = text[2:-2].strip()
            word = inner.split(maxsplit=1)[0] if inner else ""
            class_block = word == "block" and inner.endswith("class")
            if word == "comment":
                in_comment = True
            elif word == "endcomment":
                in_comment = False
            elif word in {"blocktranslate", "blocktrans"}:
                in_blocktranslate = True
            elif word in {"endblocktranslate", "endblocktrans"}:
                in_blocktranslate = False
            if text.startswith(("{{", "{%")) and word not in {"translate", "trans"}:
                for _quote, literal in PROSE_LITERAL.findall(inner):
                    if " " in literal and is_prose(literal) and "date" not in inner:
                        found.append(text)
            continue
        if in_comment or in_blocktranslate or after_class_block:
            continue
        if kind == "html":
            name = (TAG_NAME.match(text) or [None, ""])[1].lower()
            if name in NOT_PROSE_ELEMENTS and not text.endswith("/>"):
                code_depth += -1 if text.startswith("</") else 1
            for attribute, value in ATTRIBUTE.findall(text):
                if attribute.lower() in PROSE_ATTRIBUTES and is_prose(value[1:-1]):
                    found.append(f"{attribute}={value}")
                elif (
                    attribute.lower() == "value"
                    and text.lower().startswith("<input")
                    and re.search(r"""type=["']?(submit|button|reset)""", text)
                    and is_prose(value[1:-1])
                ):
                    found.append(f"{attribute}={value}")
        elif code_depth <= 0 and is_prose(text):
            found.append(" ".join(text.split()))
    return found


def relative(path):
    return str(path.relative_to(TEMPLATE_DIR))


@pytest.mark.parametrize("path", TEMPLATES, ids=relative)
def test_template_text_is_translated(path):
    source = path.read_text(encoding="utf-8")
    assert untranslated(source) == []
    if re.search(r"\{%-? *(translate|blocktranslate)\b", source):
        assert re.search(r"\{% load [^%]*\bi18n\b", source), "{% translate %} without i18n"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("<p>Bonjour</p>", ["Bonjour"]),
        ('<nav aria-label="Pagination">', ['aria-label="Pagination"']),
        ('<img alt="{{ x }} vue">', ['alt="{{ x }} vue"']),
        ('<input type="submit" value="Envoyer">', ['value="Envoyer"']),
        (
            '{% include "x.html" with heading="Cas d’usage" %}',
            ['{% include "x.html" with heading="Cas d’usage" %}'],
        ),
        ('{{ value|default:"Non renseigné" }}', ['{{ value|default:"Non renseigné" }}']),
        ("{% block title %}Accueil{% endblock %}", ["Accueil"]),
        ("Objet : {{ title }}", ["Objet :"]),
        ("<p>{% translate 'Bonjour' %}</p>", []),
        ("<p>{% blocktranslate %}Bonjour {{ name }}{% endblocktranslate %}</p>", []),
        ('<nav aria-label="{% translate "Pagination" %}">', []),
        ("<pre>curl https://example.org</pre> <code>q</code>", []),
        ("{# commentaire #}{% comment %}Notes{% endcomment %}", []),
        ("{% block body_class %}page-account{% endblock %}", []),
        ("<p>{{ use_case.title }} &nbsp; 42 — </p>", []),
        ('{{ date|date:"j F Y" }} {% url "usecases:list" %}', []),
    ],
)
def test_the_linter_finds_what_escapes_translation(source, expected):
    assert untranslated(source) == expected
