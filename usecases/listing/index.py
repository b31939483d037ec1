"""The published catalogue held in memory as bit sets, one per option of each criterion.

Bit i of an option's set is on when the i-th published case, newest first, has that option.
The index is built from the criteria's declarations in three queries (cases with their
row values, to-many values, referential choices), once per catalogue version: each process
keeps the current one, and the first process to build a version also stores it in the shared
cache, where the others (workers, nodes, recycled workers) load it instead of building it.
See docs/catalogue.md for what is cached where and what it costs.
"""

import logging
import threading
import time
from array import array
from collections import defaultdict

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils.functional import cached_property

from ..pagecache import catalogue_version
from .bits import mask_of
from .criteria import CRITERIA, load_reference

logger = logging.getLogger(__name__)

# An option held by fewer than one case in SPARSE_RATIO is kept as the sorted list of its cases'
# positions: a bit set costs one bit per case of the catalogue, and most tags are rare.
SPARSE_RATIO = 1000


def _published():
    from ..models import UseCase

    return UseCase.objects.published()


class ListingIndex:
    """Ids by position (newest first), each criterion's options as bit sets, the choices."""

    def __init__(self, criteria=CRITERIA):
        started = time.monotonic()
        self.built_at = time.time()
        scalars = [criterion for criterion in criteria if not criterion.many]
        rows = (
            _published()
            .order_by("-published_at", "-pk")
            .values_list("pk", *(criterion.path for criterion in scalars))
        )
        self.ids = array("q")
        positions = {}
        groups = {criterion.name: defaultdict(list) for criterion in criteria}
        for position, (pk, *values) in enumerate(rows.iterator(chunk_size=5000)):
            self.ids.append(pk)
            positions[pk] = position
            for criterion, value in zip(scalars, values, strict=True):
                if value is not None:
                    groups[criterion.name][str(value)].append(position)
        self.size = len(self.ids)
        self.all = (1 << self.size) - 1
        self.labels = defaultdict(dict)
        many = [
            rows
            for criterion in criteria
            if criterion.many
            for rows in criterion.index_rows(_published())
        ]
        if many:
            first, *others = many
            rows = first.union(*others, all=True).order_by()
            for pk, name, value, label in rows.iterator(chunk_size=5000):
                position = positions.get(pk)
                if position is not None:  # Published since the first query.
                    groups[name][str(value)].append(position)
                    if label:
                        self.labels[name][str(value)] = label
        self.labels = dict(self.labels)
        # position_by_pk[pk] is the position of that case, -1 if it is not published: an array
        # is a tenth of the size of a dict, and faster to read for the ~100,000 ids of a search.
        self.position_by_pk = array("l", [-1]) * (max(positions, default=0) + 1)
        for pk, position in positions.items():
            self.position_by_pk[pk] = position
        self.options = {
            name: {value: self._stored(cases) for value, cases in values.items()}
            for name, values in groups.items()
        }
        # The filters' choices change only with the catalogue version, as the rest.
        self.reference = load_reference(criteria)
        self.build_seconds = time.monotonic() - started

    def _stored(self, cases):
        if len(cases) * SPARSE_RATIO < self.size:
            # A set: a case led and partnered in one place (PlaceCriterion) is one case there.
            return array("l", sorted(set(cases)))
        return mask_of(cases)

    def __getstate__(self):
        # The title order is read lazily, by whichever process first sorts by title.
        state = dict(self.__dict__)
        state.pop("title_order", None)
        return state

    @cached_property
    def title_order(self):
        """The positions of the cases in title order, read when a list is first sorted so.

        Sorting 100,000 titles with the French collation takes PostgreSQL seconds; walking its
        partial index on (title, id) takes a few dozen milliseconds.
        """
        by_title = _published().order_by("title", "pk").values_list("pk", flat=True)
        return array("l", self.positions(by_title.iterator(chunk_size=5000)))

    def positions(self, pks):
        """The positions of these ids' cases, in their order (a generator).

        Ids of cases unpublished when the index was built, or published since, are left out.
        """
        by_pk, size = self.position_by_pk, len(self.position_by_pk)
        return (position for pk in pks if pk < size and (position := by_pk[pk]) >= 0)

    def mask(self, name, value):
        """The bit set of the cases having this option."""
        cases = self.options[name].get(str(value), 0)
        return cases if isinstance(cases, int) else mask_of(cases)

    def union(self, name, values):
        """The bit set of the cases having any of these options."""
        mask = 0
        for value in values:
            mask |= self.mask(name, value)
        return mask

    def matching(self, pks):
        """The bit set of these published cases (the ids a search found)."""
        return mask_of(self.positions(pks), self.size)


# How long a process waits for another one building the same version before building it too.
BUILD_WAIT = 30

# The index of this process: {(database, catalogue version): index}.
_lock = threading.Lock()
_held = {}


def _shared_cache():
    return caches[settings.LISTING_INDEX_CACHE]


def _fresh(index):
    return time.time() - index.built_at <= settings.COUNTS_CACHE_SECONDS


def _shared_get(shared_key):
    try:
        index = _shared_cache().get(shared_key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation; the database is the truth.
        logger.warning("Shared catalogue index unreadable", exc_info=True)
        return None
    return index if index is not None and _fresh(index) else None


def _load_or_build(key):
    """The index of this version from the shared cache, or built here (and stored there).

    One process builds a version while the others wait for it (at most BUILD_WAIT seconds,
    then they build it too): a publication costs one build, not one per worker and node.
    """
    shared_key = "listing-index:{}:{}".format(*key)
    index = _shared_get(shared_key)
    if index is not None:
        return index
    try:
        building = _shared_cache().add(shared_key + ":building", 1, BUILD_WAIT)
    except Exception:  # noqa: BLE001
        building = True
    if not building:
        deadline = time.monotonic() + BUILD_WAIT
        while time.monotonic() < deadline:
            time.sleep(0.05)
            index = _shared_get(shared_key)
            if index is not None:
                return index
    try:
        index = ListingIndex()
    except Exception:
        _shared_cache().delete(shared_key + ":building")  # The others need not wait.
        raise
    try:
        _shared_cache().set(shared_key, index, settings.COUNTS_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("Shared catalogue index not stored", exc_info=True)
    return index


def current_index():
    """The index of the current catalogue version, at most COUNTS_CACHE_SECONDS old.

    With COUNTS_CACHE_SECONDS = 0 (tests), it is built for every request.
    """
    if not settings.COUNTS_CACHE_SECONDS:
        return ListingIndex()
    key = (connection.settings_dict["NAME"], catalogue_version())
    with _lock:
        index = _held.get(key)
        if index is None or not _fresh(index):
            _held.clear()
            index = _held[key] = _load_or_build(key)
        return index


def forget_index():
    """Drop the index held by this process (tests that reset the database)."""
    with _lock:
        _held.clear()
