"""French text analysis shared by both databases' search (pure Python, no database).

The words of a text are what PostgreSQL's `french_unaccent` configuration makes of it: accents
removed, lower-cased, split on everything that is not a letter or a digit (apostrophes, straight
or curly, included: « l’Ardèche » is « l » and « ardeche »), PostgreSQL's French stop words left
out, then stemmed by the same Snowball algorithm (`snowballstemmer`). SQLite's full-text index
stores these stems; on PostgreSQL the database stems itself with its own Snowball, and Python's
stems only decide which query terms may be prefixes.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD_RE = re.compile(r"[a-z0-9]+")
# Letters that unaccenting spells out (as PostgreSQL's unaccent does).
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_STEMMER = snowballstemmer.stemmer("french")

# PostgreSQL 15's tsearch_data/french.stop, as `french_unaccent` applies it: the text is
# unaccented BEFORE the stop list is read, so its accented entries never match and are left out.
INDEX_STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me mes moi
    mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un
    une vos votre vous c d j l m n s t y suis es est sommes sont serai seras sera serons serez
    seront serais serait serions seriez seraient etais etait etions etiez etaient fus fut furent
    sois soit soyons soyez soient fusse fusses fussions fussiez fussent ayant ayante ayantes
    ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais
    aurait aurions auriez auraient avais avait avions aviez avaient eut eurent aie aies ait
    ayons ayez aient eusse eusses eussions eussiez eussent""".split()
)
# Words a query does not need to find: the stop words, the grammar words that the index keeps
# (« les », « à ») and the words of a question or a request (« comment », « trouver »): none is
# what the query is about.
QUERY_STOP_WORDS = INDEX_STOP_WORDS | frozenset(
    """a les lors dont cet cette chez sans sous vers entre afin ainsi aussi comme comment
    quel quelle quels quelles quoi ou est-ce faire fait font peut peuvent plus moins tres tout
    tous toute toutes autre autres avoir etre etes ete fut meme quand lorsque puis donc
    chaque depuis grace via voici exemple exemples trouver aider utiliser permettre""".split()
)


def words(text):
    """The words of `text`, unaccented and lower-cased: « L’Île-de-France ! » → l ile de france."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower().translate(_LIGATURES))
    # Accents go; any other character (apostrophes, dashes, quotes) separates words.
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD_RE.findall(bare)


@lru_cache(maxsize=50_000)
def stem(word):
    """The Snowball French stem of an unaccented, lower-cased word."""
    return _STEMMER.stemWord(word)


def index_terms(text):
    """The stems of `text` as the full-text index stores them, in order (stop words left out)."""
    return [stem(word) for word in words(text) if word not in INDEX_STOP_WORDS]


def index_text(text):
    """index_terms() as one space-separated string (SQLite's FTS5 columns)."""
    return " ".join(index_terms(text))


def variants(word):
    """The word and its other number (« ménager », « ménagers »), whose stems may differ."""
    if len(word) <= 3 or word.isdigit():
        return [word]
    if word[-1] in "sx":
        return [word, word[:-1]]
    return [word, word + "s"]


# A stem at least this long may be matched as a prefix (« détect » finds « détecteur »); a shorter
# one drowns precision (« ren », stem of « Rennes », prefix of « rendre », « rénovation »).
PREFIX_MIN_STEM = 6


def is_prefix(word):
    return len(stem(word)) >= PREFIX_MIN_STEM


def damerau_levenshtein(a, b, limit=2):
    """The optimal string alignment distance of a and b, or limit + 1 past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def max_typos(word):
    """How many edits a word of this length may hold: none under 5 letters, 2 from 9."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2
