"""Facet counts and result pages of the public catalogue, from an index held in memory.

The published catalogue is indexed once per catalogue version and process as bit sets (Python
ints): for each option of each criterion, bit i is set when the i-th case, newest first, has
that option. A request ANDs the sets of the options it chose (and of the cases its words match,
found by the database's full-text index), counts every option of every criterion with
`int.bit_count()` over the results filtered by the *other* criteria, and reads its page of
results off the bits. Per request, the SQL is the catalogue version, the search and the page's
cards, whatever the number of results or the page number (issue #7: counting in PostgreSQL
cost 150 to 900 ms per page at 100,000 cases; the bits cost a few milliseconds).
"""

import threading
import time
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.db import connection
from django.db.models import Value
from django.utils.functional import cached_property
from taggit.models import TaggedItem

from collectivites.choices import Kind

from .choices import BuildMode, Hosting, Stage
from .filters import load_reference_choices
from .models import UseCase
from .pagecache import catalogue_version
from .search import SNIPPET_FIELDS, add_snippets, find

# criterion -> (the case's value, its label or None)
FACET_SOURCES = {
    "theme": ("theme__slug", None),
    "region": ("collectivite__region__code", None),
    "departement": ("collectivite__departement__code", None),
    "type": ("collectivite__kind", None),
    "stade": ("stage", None),
    "technique": ("techniques__slug", None),
    "hebergement": ("hosting", None),
    "realisation": ("build_mode", None),
    "mot_cle": ("tags__slug", "tags__name"),
    "annee": ("start_year", None),
}
# Criteria read on the case row (the others go through a join table).
SCALAR_FACETS = [name for name in FACET_SOURCES if name not in ("technique", "mot_cle")]
STATIC_CHOICES = {
    "type": Kind.choices,
    "stade": Stage.choices,
    "hebergement": Hosting.choices,
    "realisation": BuildMode.choices,
}
# Small, fixed vocabularies are listed in full (with zeros); the others only where non-zero.
SHOW_ZERO = {"theme", "type", "stade", "technique", "hebergement", "realisation"}
# The most used tags only: each option weighs on every list page (EcoIndex grade A, issue #5).
MAX_TAGS = 12
# An option held by fewer than one case in SPARSE_RATIO is kept as the list of its cases'
# positions: a bit set costs one bit per case of the catalogue, and most tags are rare.
SPARSE_RATIO = 1000


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)
    multiple: bool = True

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


# The positions of the set bits of each byte value, lowest first.
BYTE_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]


def mask_of(positions, size=None):
    """The bit set of these positions, all below `size` (any iterable then; without `size`, a
    sequence, and the set is as long as its largest position).

    Written as the binary digits of the number, then parsed by int() in C: a third of the time
    of OR-ing the bits into bytes for the ~100,000 positions of a common word's search.
    """
    if size is None:
        if not positions:
            return 0
        size = max(positions) + 1
    elif not size:
        return 0
    digits = bytearray(b"0") * size
    top = size - 1
    for position in positions:
        digits[top - position] = 49  # "1"
    return int(digits, 2)


def positions_of(mask):
    """The positions of the set bits of `mask`, in increasing order (a generator)."""
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        if byte:
            start = index * 8
            for bit in BYTE_BITS[byte]:
                yield start + bit


class BitView:
    """Membership tests against a bit set, for sparse options and orders other than the bits'."""

    def __init__(self, mask):
        self.data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")

    def __contains__(self, position):
        index = position >> 3
        return index < len(self.data) and self.data[index] >> (position & 7) & 1

    def count(self, positions):
        data, size = self.data, len(self.data)
        return sum(1 for p in positions if (p >> 3) < size and data[p >> 3] >> (p & 7) & 1)


class CatalogueIndex:
    """The published catalogue as bit sets: ids by position (newest first) and option sets."""

    def __init__(self):
        published = UseCase.objects.published()
        rows = published.order_by("-published_at", "-pk").values_list(
            "pk", *(FACET_SOURCES[name][0] for name in SCALAR_FACETS)
        )
        self.ids = array("q")
        positions = {}
        groups = {name: defaultdict(list) for name in FACET_SOURCES}
        for position, (pk, *values) in enumerate(rows.iterator(chunk_size=5000)):
            self.ids.append(pk)
            positions[pk] = position
            for name, value in zip(SCALAR_FACETS, values, strict=True):
                if value is not None:
                    groups[name][str(value)].append(position)
        self.size = len(self.ids)
        self.all = (1 << self.size) - 1
        # Techniques and tags of every case, in one query.
        techniques = UseCase.techniques.through.objects.values_list(
            "usecase_id", Value("technique"), "technique__slug", Value("")
        )
        tags = TaggedItem.objects.filter(
            content_type__app_label="usecases", content_type__model="usecase"
        ).values_list("object_id", Value("mot_cle"), "tag__slug", "tag__name")
        self.labels = {}
        for pk, name, slug, label in techniques.union(tags, all=True).iterator(chunk_size=5000):
            position = positions.get(pk)
            if position is not None:  # Not published.
                groups[name][slug].append(position)
                if label:
                    self.labels[slug] = label
        # position_by_pk[pk] is the position of that case, -1 if it is not published: an array
        # is a tenth of the size of a dict, and faster to read for the ~100,000 ids of a search.
        self.position_by_pk = array("l", [-1]) * (max(positions, default=0) + 1)
        for pk, position in positions.items():
            self.position_by_pk[pk] = position
        self.options = {
            name: {value: self._stored(cases) for value, cases in values.items()}
            for name, values in groups.items()
        }
        # The filterset's choices change only with the catalogue version, as the rest.
        self.reference = load_reference_choices()

    @cached_property
    def title_order(self):
        """The positions of the cases in title order, read when a list is first sorted so.

        Sorting 100,000 titles with the French collation takes PostgreSQL seconds; walking its
        partial index on (title, id) takes a few dozen milliseconds.
        """
        by_title = UseCase.objects.published().order_by("title", "pk").values_list("pk", flat=True)
        return array("l", self.positions(by_title.iterator(chunk_size=5000)))

    def positions(self, pks):
        """The positions of these ids' cases, in their order (a generator).

        Ids of cases unpublished when the index was built, or published since, are left out.
        """
        by_pk, size = self.position_by_pk, len(self.position_by_pk)
        return (position for pk in pks if pk < size and (position := by_pk[pk]) >= 0)

    def _stored(self, cases):
        if len(cases) * SPARSE_RATIO < self.size:
            return array("l", sorted(cases))
        return mask_of(cases)

    def mask(self, name, value):
        cases = self.options[name].get(str(value), 0)
        return cases if isinstance(cases, int) else mask_of(cases)

    def matching(self, pks):
        """The bit set of these published cases (the ids a search found)."""
        return mask_of(self.positions(pks), self.size)


_lock = threading.Lock()
_built = {}


def catalogue_index():
    """The index of the current catalogue version, built at most once per COUNTS_CACHE_SECONDS.

    With COUNTS_CACHE_SECONDS = 0 (tests), it is built for every request.
    """
    seconds = settings.COUNTS_CACHE_SECONDS
    if not seconds:
        return CatalogueIndex()
    key = (connection.settings_dict["NAME"], catalogue_version())
    with _lock:
        built = _built.get(key)
        if built is None or time.monotonic() - built[0] > seconds:
            _built.clear()
            built = _built[key] = (time.monotonic(), CatalogueIndex())
        return built[1]


def forget_index():
    """Drop the index held by this process (tests that reset the database)."""
    with _lock:
        _built.clear()


def _selected_values(filterset, name):
    value = filterset.form.cleaned_data.get(name)
    if value in (None, ""):
        return set()
    if isinstance(value, list | tuple):
        return {str(item) for item in value}
    return {str(value)}


class CatalogueResults:
    """What a valid filterset selects in the index: counts, total and pages of results.

    `scope` narrows the catalogue before any criterion ({"theme": slug} on a theme page); the
    filterset's queryset must be the published catalogue narrowed the same way.
    """

    def __init__(self, filterset, scope=None, index=None):
        self.filterset = filterset
        self.index = index or catalogue_index()
        base = self.index.all
        for name, value in (scope or {}).items():
            base &= self.index.mask(name, value)
        self.query = filterset.form.cleaned_data.get("q", "").strip()
        # The search's outcome (usecases.search.Search): ids, corrections, approximate or not.
        self.search = None
        if self.query:
            self.search = find(self.query, correct=not filterset.form.cleaned_data.get("tel_quel"))
            base &= self.index.matching(self.search.pks)
        self.chosen = {}
        for name in FACET_SOURCES:
            values = _selected_values(filterset, name)
            if values:
                union = 0
                for value in values:
                    union |= self.index.mask(name, value)
                self.chosen[name] = union
        self.base = base
        self.mask = self._filtered(exclude=None)
        self.total = self.mask.bit_count()
        # The filterset decides between relevance and date from the number of results: it
        # would otherwise count them again in SQL.
        filterset.result_count = self.total

    def _filtered(self, exclude):
        mask = self.base
        for name, chosen in self.chosen.items():
            if name != exclude:
                mask &= chosen
        return mask

    def counts(self, name):
        """{value: number of results} of one criterion, over the results of the others."""
        over = self.mask if name not in self.chosen else self._filtered(exclude=name)
        view = None
        counts = {}
        for value, cases in self.index.options[name].items():
            if isinstance(cases, int):
                count = (cases & over).bit_count()
            else:
                view = view or BitView(over)
                count = view.count(cases)
            if count:
                counts[value] = count
        return counts

    def facets(self, skip=()):
        """The facets of the results, as Facet objects ready for the template."""
        facets = []
        filterset = self.filterset
        for name in FACET_SOURCES:
            if name in skip:
                continue
            selected = _selected_values(filterset, name)
            # Départements are offered once a région is chosen: a hundred options otherwise.
            if name == "departement" and not (selected or _selected_values(filterset, "region")):
                continue
            counts = self.counts(name)
            if name in STATIC_CHOICES:
                choices = STATIC_CHOICES[name]
            elif name in filterset.reference:
                choices = filterset.reference[name]
            elif name == "annee":
                choices = [(year, year) for year in sorted(counts, reverse=True)]
            else:
                ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                keep = {value for value, _count in ranked[:MAX_TAGS]} | selected
                labels = self.index.labels
                choices = sorted(
                    ((value, labels.get(value, value)) for value in keep),
                    key=lambda choice: choice[1].lower(),
                )
            options = []
            for value, label in choices:
                value = str(value)
                count = counts.get(value, 0)
                if count or name in SHOW_ZERO or value in selected:
                    options.append(FacetOption(value, str(label), count, value in selected))
            facets.append(
                Facet(
                    name=name,
                    label=str(filterset.filters[name].label),
                    options=options,
                    multiple=name not in ("region", "departement", "annee"),
                )
            )
        return facets

    def page(self, cases, offset, limit):
        """One page of the results, in the filterset's order, as instances from `cases`."""
        ids = self.index.ids
        order = self.filterset.applied_sort
        if order == "rank":
            matched = [ids[position] for position in positions_of(self.mask)]
            page_ids = self.search.ranked(matched)[offset : offset + limit]
        elif order == "title":
            view = BitView(self.mask)
            positions = (position for position in self.index.title_order if position in view)
            page_ids = [ids[position] for position in islice(positions, offset, offset + limit)]
        else:
            positions = positions_of(self.mask)
            page_ids = [ids[position] for position in islice(positions, offset, offset + limit)]
        fields, deferring = cases.query.deferred_loading
        if self.search is not None and not deferring:
            # The texts the snippets are cut from, read with the cards (.only() cards).
            cases = cases.only(*fields, *SNIPPET_FIELDS)
        # Filtered again: a case withdrawn since the index was built is left out.
        found = cases.filter(pk__in=page_ids).in_bulk(page_ids)
        results = [found[pk] for pk in page_ids if pk in found]
        if self.search is not None:
            add_snippets(self.search, results)
        return results

    def sequence(self, cases):
        """The results as a sequence for a Paginator, fetched from `cases` a page at a time."""
        return ResultSequence(self, cases)


class ResultSequence:
    """len() is the count from the index; a slice fetches the instances of that page only."""

    def __init__(self, results, cases):
        self.results, self.cases = results, cases

    def __len__(self):
        return self.results.total

    def __getitem__(self, window):
        return self.results.page(self.cases, window.start, window.stop - window.start)
