"""French full-text search over use cases: one behaviour on PostgreSQL and SQLite.

Text analysis (usecases.analysis): accents, case, apostrophes (straight or curly) and
PostgreSQL's French stop words are handled the same way on both databases, and words are
stemmed by the French Snowball algorithm: PostgreSQL's `french_unaccent` configuration on one
side, `snowballstemmer` on the other.

Index: title (weight A), summary with tags, collectivités and the région, département and EPCI
of each of them (B), and the body of the sheet (C). PostgreSQL stores it as a GIN-indexed
`tsvector`; SQLite as an FTS5 table (`usecases_fts`, one row per case, rowid = the case's id)
holding the stems, ranked by BM25 with the same field weights. Both are rewritten by
`refresh_search_index()`, which every write path calls.

A query (`find()`) is a list of concepts, each a word or a thesaurus group of equivalent
expressions (ThesaurusEntry: « RH » or « ressources humaines »), every one required. Whole
words only; a stem of six letters or more may also be a prefix (« détect » finds « détecteur »),
shorter ones never (« Rennes » must not find « rendre »). A word that matches nothing is replaced
by the nearest indexed word (SearchWord) when one is close enough, and the page says so. When no
case holds every concept, the cases holding most of them (weighted by rarity) come, marked as
approximate; when none is close enough, nothing does.
"""

import math
import re
import sys
from array import array
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Case, FloatField, Value, When
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import (
    INDEX_STOP_WORDS,
    PREFIX_MIN_STEM,
    QUERY_STOP_WORDS,
    damerau_levenshtein,
    index_text,
    max_typos,
    stem,
    variants,
    words,
)
from .choices import Status

CONFIG = "french_unaccent"
FTS_TABLE = "usecases_fts"
MAX_TERMS = 12
# Past this many results a search is not ranked (usecases.filters: RANK_LIMIT).
RANK_LIMIT = 1000

# Fields whose text feeds the index, by weight.
WEIGHTED_FIELDS = {
    "A": ["title"],
    "B": ["summary", "search_keywords"],
    "C": ["need", "solution", "data_used", "results", "lessons_learned", "vendor", "model_used"],
}
# BM25 weights of the FTS5 columns (title, keywords, body) and ts_rank's of D, C, B, A.
BM25_WEIGHTS = (10.0, 4.0, 1.0)
TS_RANK_WEIGHTS = "{0.05, 0.25, 0.5, 1.0}"
# Approximate results: a case must hold concepts worth this share of the query's (by rarity).
APPROXIMATE_MIN_SHARE = 0.5
# A query of three concepts or more with fewer exact results than this is topped up with
# approximate ones.
TOP_UP_BELOW = 5


# ---------------------------------------------------------------------------------------------
# Index maintenance


def place_text(collectivite):
    """The searchable names of a collectivité: its own, its EPCI's, département's and région's."""
    parts = [collectivite.name]
    for related in ("epci", "departement", "region"):
        other = getattr(collectivite, related, None)
        if other is not None:
            parts.append(other.name)
    return " ".join(parts)


def place_texts():
    """{collectivité id: place_text()} for every collectivité, in one query (bulk loaders)."""
    from collectivites.models import Collectivite

    rows = Collectivite.objects.values_list(
        "pk", "name", "epci__name", "departement__name", "region__name"
    )
    return {pk: " ".join(name for name in names if name) for pk, *names in rows}


def keywords_text(tag_names, collectivite_text, partner_texts):
    """The search_keywords column: tags, lead collectivité and partners with their places."""
    return " ".join([*tag_names, collectivite_text, *partner_texts])


def _keywords(use_case):
    return keywords_text(
        [tag.name for tag in use_case.tags.all()],
        place_text(use_case.collectivite),
        [place_text(partner) for partner in use_case.partners.all()],
    )


def text_for(values):
    """The search_text column: the indexed fields of a {field: value} mapping, as typed."""
    return "\n".join(
        values.get(name) or "" for fields in WEIGHTED_FIELDS.values() for name in fields
    )


def fts_row(values):
    """The (title, keywords, body) columns of SQLite's FTS5 row, as stems."""
    return (
        index_text(values.get("title")),
        index_text(" ".join(values.get(name) or "" for name in WEIGHTED_FIELDS["B"])),
        index_text(" ".join(values.get(name) or "" for name in WEIGHTED_FIELDS["C"])),
    )


def search_vector():
    """The weighted tsvector expression stored in search_vector (PostgreSQL)."""
    from django.contrib.postgres.search import SearchVector

    vector = None
    for weight, fields in WEIGHTED_FIELDS.items():
        part = SearchVector(*fields, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


def refresh_search_vectors(queryset, **also):
    """Recompute search_vector from the stored columns in ONE set-based UPDATE (PostgreSQL).

    search_keywords must be up to date. Bulk loaders (seed_demo) call this once over all their
    rows instead of once per case; `also` are other columns set by the same UPDATE, so that the
    rows are rewritten once. Returns the number of rows updated (0, and nothing done, elsewhere).
    """
    if connection.vendor != "postgresql":
        return 0
    return queryset.order_by().update(search_vector=search_vector(), **also)


def write_fts_rows(rows):
    """Replace the FTS5 rows of these cases (SQLite): rows are (id, {field: value}) pairs."""
    if connection.vendor != "sqlite":
        return
    rows = list(rows)
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _ in rows])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, keywords, body) VALUES (%s, %s, %s, %s)",
            [(pk, *fts_row(values)) for pk, values in rows],
        )


def add_vocabulary(texts, model=None):
    """Record the words of these texts in SearchWord (what typos are corrected to)."""
    from .models import SearchWord

    model = model or SearchWord
    found = set()
    for text in texts:
        found.update(
            word
            for word in words(text)
            if 5 <= len(word) <= 60 and not word.isdigit() and word not in QUERY_STOP_WORDS
        )
    if found:
        model.objects.bulk_create(
            [model(word=word, length=len(word)) for word in sorted(found)],
            ignore_conflicts=True,
            batch_size=500,
        )


def refresh_search_index(queryset):
    """Recompute search_keywords, search_text, the full-text index and the vocabulary."""
    use_cases = list(
        queryset.select_related(
            "collectivite__epci", "collectivite__departement", "collectivite__region"
        ).prefetch_related("tags", "partners__epci", "partners__departement", "partners__region")
    )
    for use_case in use_cases:
        use_case.search_keywords = _keywords(use_case)
        use_case.search_text = text_for(use_case.__dict__)
    model = queryset.model
    model.objects.bulk_update(use_cases, ["search_keywords", "search_text"], batch_size=500)
    refresh_search_vectors(model.objects.filter(pk__in=[u.pk for u in use_cases]))
    write_fts_rows((u.pk, u.__dict__) for u in use_cases)
    add_vocabulary(u.search_text + "\n" + u.search_keywords for u in use_cases)
    return len(use_cases)


def rebuild_fts(using=None):
    """Rewrite SQLite's whole FTS5 table from the stored columns (migrations, after a flush)."""
    conn = connection
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(
            "SELECT id, title, summary, search_keywords, need, solution, data_used, results, "
            "lessons_learned, vendor, model_used FROM usecases_usecase"
        )
        names = [column[0] for column in cursor.description]
        rows = [(row[0], dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
    write_fts_rows(rows)


# ---------------------------------------------------------------------------------------------
# Thesaurus


def thesaurus():
    """{key: group}: key a tuple of stems of a thesaurus expression, group the tuple of every
    expression of its entry as word tuples. Kept per catalogue version (pagecache), which every
    ThesaurusEntry save bumps (usecases.signals): every worker and node sees a change at once."""
    from .pagecache import per_catalogue_version

    return per_catalogue_version("search-thesaurus", _read_thesaurus)


def _read_thesaurus():
    from .models import ThesaurusEntry

    groups = {}
    for entry in ThesaurusEntry.objects.all():
        expressions = tuple(dict.fromkeys(tuple(words(text)) for text in entry.expression_list()))
        for expression in expressions:
            key = _key(expression)
            if key:
                # An expression in several entries gathers all their expressions.
                groups[key] = tuple(dict.fromkeys(groups.get(key, ()) + expressions))
    return groups


def _key(expression):
    return tuple(stem(word) for word in expression if word not in QUERY_STOP_WORDS)


# ---------------------------------------------------------------------------------------------
# Queries


@dataclass
class Concept:
    """What one part of a query asks for: any of its alternatives (tuples of words)."""

    typed: tuple
    alternatives: tuple
    from_thesaurus: bool = False

    @property
    def text(self):
        return " ".join(self.typed)


def parse(query_words):
    """The concepts of a query's words: thesaurus expressions first (longest), then words."""
    groups = thesaurus()
    longest = max((len(key) for key in groups), default=0)
    kept = [word for word in query_words if word not in QUERY_STOP_WORDS]
    concepts, position = [], 0
    while position < len(kept):
        for size in range(min(longest, len(kept) - position), 0, -1):
            span = tuple(kept[position : position + size])
            group = groups.get(tuple(stem(word) for word in span))
            if group:
                concepts.append(Concept(span, group, from_thesaurus=True))
                position += size
                break
        else:
            word = kept[position]
            concepts.append(Concept((word,), ((word,),)))
            position += 1
    # The same concept typed twice is asked once.
    unique = {}
    for concept in concepts:
        unique.setdefault(concept.alternatives, concept)
    return list(unique.values())


def _content_words(alternative):
    return [word for word in alternative if word not in INDEX_STOP_WORDS]


def _fts_alternative(alternative):
    content = _content_words(alternative)
    if not content:
        return None
    if len(content) == 1:
        stems = dict.fromkeys(stem(variant) for variant in variants(content[0]))
        return " OR ".join(
            f'"{value}"' + ("*" if len(value) >= PREFIX_MIN_STEM else "") for value in stems
        )
    last = stem(content[-1])
    phrase = " ".join(stem(word) for word in content)
    return f'"{phrase}"' + ("*" if len(last) >= PREFIX_MIN_STEM else "")


def _ts_alternative(alternative):
    content = _content_words(alternative)
    if not content:
        return None
    if len(content) == 1 and len(alternative) == 1:
        word = content[0]
        parts = [
            f"'{variant}'" + (":*" if len(stem(variant)) >= PREFIX_MIN_STEM else "")
            for variant in variants(word)
        ]
        return " | ".join(parts)
    # PostgreSQL keeps the stop words' positions: the phrase is given whole.
    last = len(alternative) - 1
    return " <-> ".join(
        f"'{word}'" + (":*" if index == last and len(stem(word)) >= PREFIX_MIN_STEM else "")
        for index, word in enumerate(alternative)
    )


def _expression(concepts, operator):
    """The concepts as an FTS5 expression (SQLite) or a to_tsquery() string (PostgreSQL)."""
    build = _ts_alternative if connection.vendor == "postgresql" else _fts_alternative
    or_, and_ = (" | ", " & ") if connection.vendor == "postgresql" else (" OR ", " AND ")
    parts = []
    for concept in concepts:
        alternatives = [part for part in map(build, concept.alternatives) if part]
        if alternatives:
            parts.append("(" + or_.join(f"({part})" for part in alternatives) + ")")
    if not parts:
        return None
    return (and_ if operator == "and" else or_).join(parts)


def _published_ids(expression):
    """The ids of the published cases matching an expression, as an array of ints."""
    if expression is None:
        return array("q")
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT u.id FROM {FTS_TABLE} f JOIN usecases_usecase u ON u.id = f.rowid "
                f"WHERE {FTS_TABLE} MATCH %s AND u.status = %s",
                [expression, Status.PUBLISHED],
            )
            return array("q", (row[0] for row in cursor.fetchall()))
    # Read through the GIN index only, and returned as one bytea of 8-byte ids: left to itself,
    # the planner reads (and decompresses) every stored vector for a word found in most cases,
    # ~0.6 s at 100,000 cases against ~0.02 s through the index; parsing 100,000 ids from an
    # array's text costs more than finding them (bench/results). Without a savepoint: inside a
    # caller's transaction (tests), the planner settings stay until it ends, which changes
    # plans, not results.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), "
            "set_config('enable_indexscan', 'off', true)"
        )
        # OFFSET 0 keeps the status test out of the scan: the rows are found through the GIN
        # index alone, then the few non-published ones are dropped.
        cursor.execute(
            "SELECT string_agg(int8send(id), '') FROM ("
            "SELECT id, status FROM usecases_usecase "
            "WHERE search_vector @@ to_tsquery(%s::regconfig, %s) OFFSET 0"
            ") AS found WHERE status = %s",
            [CONFIG, expression, Status.PUBLISHED],
        )
        packed = cursor.fetchone()[0]
    pks = array("q")
    if packed:
        pks.frombytes(packed)
        if sys.byteorder == "little":  # int8send writes network (big-endian) order.
            pks.byteswap()
    return pks


def _db_scores(expression, pks):
    """{id: relevance} of these cases for an expression (BM25 or ts_rank, higher is better)."""
    if expression is None or not pks:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id, ts_rank(%s::float4[], search_vector, to_tsquery(%s::regconfig, %s), 1)"
                " FROM usecases_usecase WHERE id = ANY(%s)",
                [TS_RANK_WEIGHTS, CONFIG, expression, list(pks)],
            )
        else:
            weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
            cursor.execute(
                f"SELECT rowid, -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s",
                [expression],
            )
        wanted = set(pks)
        return {pk: score for pk, score in cursor.fetchall() if pk in wanted}


def _published_count():
    from .models import UseCase

    return UseCase.objects.published().count()


def _nearest_word(word):
    """The indexed word nearest to a misspelt one, or None when none is close enough."""
    from .models import SearchWord

    limit = max_typos(word)
    if not limit:
        return None
    candidates = SearchWord.objects.filter(
        length__gte=len(word) - limit, length__lte=len(word) + limit, word__startswith=word[0]
    ).values_list("word", flat=True)
    scored = sorted(
        (distance, candidate)
        for candidate in candidates.iterator(chunk_size=2000)
        if (distance := damerau_levenshtein(word, candidate, limit)) <= limit
    )
    return [candidate for _distance, candidate in scored[:5]]


@dataclass
class Search:
    """The outcome of a query: matching published ids, corrections, approximate or not."""

    query: str
    words: list = field(default_factory=list)
    concepts: list = field(default_factory=list)
    pks: array = field(default_factory=lambda: array("q"))
    # {typed word: the indexed word searched instead}
    corrections: dict = field(default_factory=dict)
    # No case holds every concept: every result is approximate.
    approximate: bool = False
    # The results holding only most of the concepts (after those holding all, if any).
    approximate_pks: set = field(default_factory=set)
    # Approximate results: {id: share of the query's concepts held}
    shares: dict = field(default_factory=dict)

    @property
    def corrected_query(self):
        return " ".join(self.corrections.get(word, word) for word in self.words)

    @cached_property
    def _or_expression(self):
        return _expression(self.concepts, "or")

    def scores(self, pks):
        """{id: relevance} of these ids (a subset of self.pks): higher is better.

        The share of the query held comes first (approximate results), then the database's
        ranking (BM25 on SQLite, ts_rank on PostgreSQL) of the cases for any of the concepts.
        """
        scores = _db_scores(self._or_expression, pks)
        shares = self.shares
        return {
            pk: round(shares.get(pk, 1.0), 2) * 1_000_000 + round(scores.get(pk, 0.0), 6)
            for pk in pks
        }

    def ranked(self, pks):
        """These ids in relevance order, best first; ties keep their order in `pks`."""
        scores = self.scores(pks)
        return sorted(pks, key=lambda pk: -scores[pk])

    @cached_property
    def highlighter(self):
        return Highlighter(self.concepts)


def find(query, *, correct=True):
    """Search the published cases for `query` (see the module's docstring)."""
    query_words = words(query)[:MAX_TERMS]
    found = Search(query=query, words=query_words)
    found.concepts = parse(query_words)
    if not found.concepts:
        return found
    found.pks = _published_ids(_expression(found.concepts, "and"))
    if found.pks:
        if len(found.concepts) >= 3 and len(found.pks) < TOP_UP_BELOW:
            # A sentence rarely has all its words in the cases about it: the few cases that do
            # come first, then those holding most of its words.
            _approximate(
                found, [set(_published_ids(_expression([c], "and"))) for c in found.concepts]
            )
        return found
    per_concept = [set(_published_ids(_expression([c], "and"))) for c in found.concepts]
    if correct:
        corrected = dict(found.corrections)
        for concept, pks in zip(found.concepts, per_concept, strict=True):
            if pks or concept.from_thesaurus or len(concept.typed) != 1:
                continue
            typed = concept.typed[0]
            for candidate in _nearest_word(typed) or []:
                if _published_ids(_expression(parse([candidate]), "and")):
                    corrected[typed] = candidate
                    break
        if corrected:
            fixed = find(" ".join(corrected.get(word, word) for word in query_words), correct=False)
            fixed.query, fixed.words, fixed.corrections = query, query_words, corrected
            return fixed
    _approximate(found, per_concept)
    return found


def _approximate(found, per_concept):
    """The cases holding most concepts, weighted by rarity (inverse document frequency)."""
    if len(found.concepts) < 2:
        return
    total = max(_published_count(), 1)
    weights = [
        math.log(1 + total / len(pks)) if pks else math.log(1 + 2 * total) for pks in per_concept
    ]
    whole = sum(weights)
    held, count = {}, {}
    for weight, pks in zip(weights, per_concept, strict=True):
        for pk in pks:
            held[pk] = held.get(pk, 0.0) + weight
            count[pk] = count.get(pk, 0) + 1
    # Most of the concepts: at least two, and half of them, worth half the query's weight.
    least = max(2, math.ceil(len(per_concept) / 2))
    exact = set(found.pks)
    kept = {
        pk: value / whole
        for pk, value in held.items()
        if value / whole >= APPROXIMATE_MIN_SHARE and count[pk] >= least and pk not in exact
    }
    if kept:
        found.approximate = not exact
        found.approximate_pks = set(kept)
        found.shares = {**kept, **dict.fromkeys(exact, 1.0)}
        found.pks = array("q", sorted(exact | set(kept)))


def matching_pks(query):
    """The ids of the published cases matching `query`, in no order."""
    return find(query).pks


def search_use_cases(queryset, query):
    """`queryset` narrowed to the cases matching `query`, annotated with `rank` (higher first)."""
    found = find(query)
    if not found.pks:
        # Not .none(): callers still sort by rank.
        return queryset.filter(pk__isnull=True).annotate(rank=Value(0.0))
    queryset = queryset.filter(pk__in=list(found.pks))
    if len(found.pks) > RANK_LIMIT:
        return queryset.annotate(rank=Value(0.0))
    scores = found.scores(found.pks)
    return queryset.annotate(
        rank=Case(
            *(When(pk=pk, then=Value(score)) for pk, score in scores.items()),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )


# ---------------------------------------------------------------------------------------------
# Snippets

SNIPPET_FIELDS = ["summary", "need", "solution", "results", "data_used", "lessons_learned"]
SNIPPET_WORDS = 30
_TEXT_WORD_RE = re.compile(r"[^\W_]+")


class Highlighter:
    """Marks the words of a text that a query's concepts match, as the index would."""

    def __init__(self, concepts):
        self.exact, self.prefixes, self._seen = set(), set(), {}
        for concept in concepts:
            for alternative in concept.alternatives:
                for word in _content_words(alternative):
                    for variant in variants(word):
                        value = stem(variant)
                        self.exact.add(value)
                        if len(value) >= PREFIX_MIN_STEM:
                            self.prefixes.add(value)

    def matches(self, word):
        # A page's sheets repeat their words: each is normalised and stemmed once.
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = self._matches(word)
        return found

    def _matches(self, word):
        normalized = words(word)
        if len(normalized) != 1 or normalized[0] in INDEX_STOP_WORDS:
            return False
        value = stem(normalized[0])
        return value in self.exact or any(value.startswith(p) for p in self.prefixes)

    def snippet(self, values):
        """The passage of the sheet where most query words occur, escaped, words in <mark>."""
        best = None
        for rank, name in enumerate(SNIPPET_FIELDS):
            text = values.get(name) or ""
            spans = [match.span() for match in _TEXT_WORD_RE.finditer(text)]
            hits = [i for i, (a, b) in enumerate(spans) if self.matches(text[a:b])]
            if not hits:
                continue
            first, count = _best_window(text, spans, hits)
            score = (count, -rank)
            if best is None or score > best[0]:
                best = (score, text, spans, hits, first)
        if best is None:
            return None
        _score, text, spans, hits, first = best
        return _highlight(text, spans, hits, first)


def _best_window(text, spans, hits):
    """(first word, distinct hits) of the window of SNIPPET_WORDS words holding the most
    distinct hits, earliest first, starting a few words before its first hit."""
    first, count = 0, 0
    hit_set = set(hits)
    for hit in hits:
        inside = len(
            {
                text[spans[i][0] : spans[i][1]].lower()
                for i in range(hit, min(hit + SNIPPET_WORDS, len(spans)))
                if i in hit_set
            }
        )
        if inside > count:
            first, count = max(hit - 5, 0), inside
    return first, count


def _highlight(text, spans, hits, first):
    """The window starting at word `first`, escaped, its hits in <mark>, « … » where cut."""
    last = min(first + SNIPPET_WORDS, len(spans)) - 1
    start = spans[first][0] if first else 0
    end = spans[last][1] if last < len(spans) - 1 else len(text)
    html, position, hits = [], start, set(hits)
    for i in range(first, last + 1):
        a, b = spans[i]
        if i in hits:
            html.append(escape(text[position:a]))
            html.append(f"<mark>{escape(text[a:b])}</mark>")
            position = b
    html.append(escape(text[position:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    # Every part of the text is escaped above; only the <mark> tags are markup.
    return mark_safe(prefix + "".join(html).strip() + suffix)


def add_snippets(found, use_cases):
    """Set `snippet` (and `approximate`) on each case of a page of results (their
    SNIPPET_FIELDS loaded)."""
    if not found or not found.concepts:
        return
    for use_case in use_cases:
        use_case.approximate = use_case.pk in found.approximate_pks
        use_case.snippet = found.highlighter.snippet(
            {name: getattr(use_case, name) for name in SNIPPET_FIELDS}
        )


def sync_fts(using="default"):
    """SQLite: drop the FTS5 rows of cases that no longer exist (after a flush, a deletion)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:
            return
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM usecases_usecase)"
        )
