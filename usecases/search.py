"""French full-text search over use cases.

PostgreSQL: a stored, weighted `tsvector` (title A; summary, tags and collectivités B; the
rest C) in the `french_unaccent` configuration, GIN-indexed, queried with prefix terms so that
singular and plural forms meet whatever the stemmer makes of them. SQLite (the embedded
default): the same words, unaccented and folded to the singular, matched in a denormalised
text column. Callers never branch on the database.
"""

import sys
from array import array

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Value

from bibliotheque.text import normalize, normalize_words

CONFIG = "french_unaccent"
MAX_TERMS = 12

# Fields whose text feeds the index, by weight.
WEIGHTED_FIELDS = {
    "A": ["title"],
    "B": ["summary", "search_keywords"],
    "C": ["need", "solution", "data_used", "results", "lessons_learned", "vendor", "model_used"],
}


def keywords_text(tag_names, collectivite_name, partner_names):
    """The search_keywords column: tags, lead collectivité and partners, space-separated."""
    return " ".join([*tag_names, collectivite_name, *partner_names])


def _keywords(use_case):
    return keywords_text(
        [tag.name for tag in use_case.tags.all()],
        use_case.collectivite.name,
        [partner.name for partner in use_case.partners.all()],
    )


def text_for(values):
    """The search_text column (SQLite fallback) from a {field: value} mapping."""
    text = " ".join(
        values.get(field) or "" for fields in WEIGHTED_FIELDS.values() for field in fields
    )
    return " " + " ".join(normalize_words(text)) + " "


def search_vector():
    """The weighted tsvector expression stored in search_vector."""
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


def refresh_search_index(queryset):
    """Recompute search_keywords, search_text and, on PostgreSQL, search_vector."""
    use_cases = list(queryset.select_related("collectivite").prefetch_related("tags", "partners"))
    for use_case in use_cases:
        use_case.search_keywords = _keywords(use_case)
        use_case.search_text = text_for(use_case.__dict__)
    model = queryset.model
    model.objects.bulk_update(use_cases, ["search_keywords", "search_text"], batch_size=500)
    refresh_search_vectors(model.objects.filter(pk__in=[u.pk for u in use_cases]))
    return len(use_cases)


def search_terms(query):
    """The words of a query, unaccented, lower-cased, at most MAX_TERMS of them."""
    return normalize(query).split()[:MAX_TERMS]


def _tsquery(terms):
    # Each term is stemmed by the configuration then matched as a prefix: "menager" finds
    # "ménagers" although the French stemmer folds them differently.
    return SearchQuery(" & ".join(f"{term}:*" for term in terms), search_type="raw", config=CONFIG)


def search_use_cases(queryset, query):
    terms = search_terms(query)
    if not terms:
        # Punctuation only: no match. Not .none(): callers still sort by rank.
        return queryset.filter(pk__isnull=True).annotate(rank=Value(0.0))
    if connection.vendor == "postgresql":
        tsquery = _tsquery(terms)
        return queryset.filter(search_vector=tsquery).annotate(
            rank=SearchRank(F("search_vector"), tsquery)
        )
    for word in normalize_words(" ".join(terms)):
        queryset = queryset.filter(search_text__contains=word)
    return queryset.annotate(rank=Value(0.0))


def matching_pks(query):
    """The ids of the cases matching `query`, in no order (published or not: callers keep theirs).

    On PostgreSQL, read through the GIN index only, and returned as one bytea of 8-byte ids:
    left to itself, the planner reads (and decompresses) every stored vector for a word found
    in most cases, ~0.6 s at 100,000 cases against ~0.02 s through the index; parsing 100,000
    ids from an array's text costs more than finding them (bench/results).
    """
    terms = search_terms(query)
    if not terms:
        return []
    cases = apps.get_model("usecases", "UseCase").objects.order_by()
    if connection.vendor != "postgresql":
        return list(search_use_cases(cases, query).values_list("pk", flat=True))
    matching = cases.filter(search_vector=_tsquery(terms)).values("pk")
    sql, params = matching.query.sql_with_params()
    # Without a savepoint: inside a caller's transaction (tests), the planner settings stay until
    # it ends, which changes plans, not results.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), "
            "set_config('enable_indexscan', 'off', true)"
        )
        cursor.execute(f"SELECT string_agg(int8send(pk), '') FROM ({sql}) AS found", params)
        packed = cursor.fetchone()[0]
    pks = array("q")
    if packed:
        pks.frombytes(packed)
        if sys.byteorder == "little":  # int8send writes network (big-endian) order.
            pks.byteswap()
    return pks
