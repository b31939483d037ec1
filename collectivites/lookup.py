"""Finding the collectivité a person means from what they typed, without JavaScript.

A name, an INSEE code or a SIREN usually designates one collectivité; when it designates
several (there are many Saint-Martin), the form offers the candidates to choose from.
"""

import re

from bibliotheque.text import normalize

from .models import Collectivite

MAX_CANDIDATES = 10
_TRAILING_CODE_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[0-9A-Za-z]{2,9})\)\s*$")


def label(collectivite):
    """« Rennes — Commune, Ille-et-Vilaine (35238) »: what a person recognises, and a code."""
    place = f", {collectivite.departement.name}" if collectivite.departement_id else ""
    return f"{collectivite.name} — {collectivite.get_kind_display()}{place} ({collectivite.code})"


def candidates(text):
    """Collectivités matching `text`, most likely first (exact matches, then by population)."""
    text = (text or "").strip()
    if not text:
        return []
    match = _TRAILING_CODE_RE.match(text)
    if match:
        # "Name — Kind, Département (code)", as suggested: the code and the name settle it.
        name = match["name"].split("—")[0].strip()
        by_code = Collectivite.objects.filter(code=match["code"]).select_related("departement")
        if name:
            by_code = by_code.filter(search_name=normalize(name))
        found = list(by_code[:2])
        if len(found) == 1:
            return found
        text = name or text
    exact_code = list(
        Collectivite.objects.filter(code=text).select_related("departement")
        | Collectivite.objects.filter(siren=text).select_related("departement")
    )
    if exact_code:
        return exact_code[:MAX_CANDIDATES]
    queryset = Collectivite.objects.search(text).select_related("departement")
    exact_name = list(queryset.filter(search_name=normalize(text)).order_by("-population")[:2])
    if len(exact_name) == 1:
        return exact_name
    return list(queryset.order_by("-population", "name")[:MAX_CANDIDATES])
