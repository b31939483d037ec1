"""Text normalisation shared by the catalogue search, the collectivité lookup and passwords."""

import re
import unicodedata

_WORD_RE = re.compile(r"[a-z0-9]+")


def normalize(text):
    """Lower-case, strip accents and punctuation: « Déchets ménagers ! » -> "dechets menagers"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(_WORD_RE.findall(ascii_text))


def stem(word):
    """A crude French plural folding, enough for the SQLite fallback (PostgreSQL stems properly)."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def normalize_words(text):
    return [stem(word) for word in normalize(text).split()]
