"""« Cas similaires » and « Avec la même solution » on a sheet.

Similar cases are found by the search's own text engine (usecases.search): the distinctive
words of the case's title and tags become an OR query, ranked like a search on PostgreSQL
(the weighted tsvector, GIN-indexed) and by the number of words matched in the search column
elsewhere; the same theme breaks ties. One query each.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from bibliotheque.text import normalize, normalize_words
from usecases import search
from usecases.models import UseCase

LIMIT = 5
CANDIDATES = 400
MAX_TERMS = 8
MIN_LENGTH = 4
# Words too common in the catalogue to say what a case is about.
COMMON_WORDS = {
    "avec",
    "dans",
    "pour",
    "des",
    "les",
    "une",
    "sur",
    "par",
    "leur",
    "leurs",
    "plus",
    "entre",
    "service",
    "collectivite",
    "intelligence",
    "artificielle",
    "outil",
    "projet",
}


def distinctive_terms(use_case):
    """The case's title and tag words, unaccented and folded, without the common ones."""
    text = " ".join([use_case.title, *(tag.name for tag in use_case.tags.all())])
    terms = []
    for word in normalize_words(text):
        if len(word) >= MIN_LENGTH and word not in COMMON_WORDS and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def raw_words(use_case):
    """The title and tag words as typed (lower case), without the common ones."""
    text = " ".join([use_case.title, *(tag.name for tag in use_case.tags.all())]).lower()
    words = []
    for word in re.findall(r"\w+", text):
        if len(word) >= MIN_LENGTH and normalize(word) not in COMMON_WORDS and word not in words:
            words.append(word)
    return words[:MAX_TERMS] or [""]


def similar_cases(use_case, limit=LIMIT):
    """Up to `limit` published cases whose text shares the most with this one's."""
    terms = distinctive_terms(use_case)
    if not terms:
        return []
    candidates = (
        UseCase.objects.published()
        .exclude(pk=use_case.pk)
        .select_related("collectivite")
        .only("title", "slug", "collectivite__name")
        .annotate(
            same_theme=Case(
                When(theme_id=use_case.theme_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )
    if connection.vendor == "postgresql":
        query = SearchQuery(
            " | ".join(f"{term}:*" for term in terms), search_type="raw", config=search.CONFIG
        )
        # Ranked among the first CANDIDATES matches the GIN index gives: ranking every match
        # of a common title word took a second at 100,000 cases (bench/results, 2026-12-02).
        matching = candidates.filter(search_vector=query).order_by().values("pk")[:CANDIDATES]
        ranked = candidates.filter(pk__in=matching).annotate(
            score=SearchRank(F("search_vector"), query)
        )
    else:
        # SQLite: search_text holds the indexed text as typed; match the case's own words in it.
        words = raw_words(use_case)
        matches = [
            Case(When(search_text__icontains=word, then=Value(1)), default=Value(0))
            for word in words
        ]
        score = sum(matches[1:], matches[0])
        condition = Q()
        for word in words:
            condition |= Q(search_text__icontains=word)
        ranked = candidates.filter(condition).annotate(score=score)
    return list(ranked.order_by("-score", "-same_theme", "-published_at", "-pk")[:limit])


def same_solution_cases(use_case, solutions, exclude=(), limit=LIMIT):
    """Published cases that name one of `solutions`, newest first."""
    if not solutions:
        return []
    return list(
        UseCase.objects.published()
        .filter(solutions__in=solutions)
        .exclude(pk__in=[use_case.pk, *exclude])
        .select_related("collectivite")
        .only("title", "slug", "published_at", "collectivite__name")
        .distinct()
        .order_by("-published_at", "-pk")[:limit]
    )
