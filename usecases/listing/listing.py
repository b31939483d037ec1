"""A list of published cases as one request asks for it: validated criteria, counts, pages, rows.

Every list goes through `Listing`: the HTML list and theme pages, the API, the CSV and JSON
exports, the feeds. Counts, totals and the order of the results come from the in-memory index
(`index.py`); the database gives the search's ids and the rows shown. `Listing.queryset()` is
the same selection in SQL, for whatever must run in the database alone.
"""

from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from django import forms
from django.conf import settings
from django.db import models
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..search import SNIPPET_FIELDS, add_snippets, find, search_use_cases
from .bits import BitView, positions_of
from .criteria import CRITERIA, CRITERIA_BY_NAME
from .index import current_index


class Sort(models.TextChoices):
    RECENT = "recent", gettext_lazy("Les plus récents")
    TITLE = "titre", gettext_lazy("Titre (A → Z)")
    RELEVANCE = "pertinence", gettext_lazy("Pertinence")


# The query parameters of every list, in the form's order.
PARAMETERS = ["q", *(criterion.name for criterion in CRITERIA), "tel_quel", "tri"]

ORDERINGS = {
    "title": ("title", "pk"),
    "rank": ("-rank", "-published_at", "-pk"),
    "recent": ("-published_at", "-pk"),
}


class ListingForm(forms.Form):
    """The query string of a list: the words searched, every criterion, the order."""

    def __init__(self, data, reference):
        super().__init__(data)
        self.fields["q"] = forms.CharField(
            label=gettext_lazy("Rechercher"), max_length=settings.SEARCH_MAX_LENGTH, required=False
        )
        for criterion in CRITERIA:
            self.fields[criterion.name] = criterion.form_field(reference)
        # « Rechercher plutôt … »: the words as typed, without the correction of misspellings.
        self.fields["tel_quel"] = forms.NullBooleanField(
            label=gettext_lazy("Sans correction"), widget=forms.HiddenInput, required=False
        )
        self.fields["tri"] = forms.ChoiceField(
            label=gettext_lazy("Trier par"), choices=Sort.choices, required=False
        )

    def clean(self):
        cleaned = super().clean()
        for criterion in CRITERIA:
            if criterion.name in cleaned:
                try:
                    cleaned[criterion.name] = criterion.clean(cleaned[criterion.name])
                except forms.ValidationError as error:
                    self.add_error(criterion.name, error)
        return cleaned


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
    any_label: str = ""

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


class Listing:
    """The published cases a query string selects, narrowed by `scope` ({"theme": slug}).

    Check `is_valid()` first; an invalid listing answers with `error_response()` (400).
    """

    # Ranking reads every matching document: past this many results (a very common word) the
    # results come newest first instead, and the page says so (`ranked_by_date`).
    RANK_LIMIT = 1000

    def __init__(self, data, *, scope=None, index=None):
        self.index = index or current_index()
        self.scope = dict(scope or {})
        self.form = ListingForm(data, self.index.reference)

    # Validation ---------------------------------------------------------------------------

    def is_valid(self):
        return self.form.is_valid()

    @property
    def errors(self):
        return self.form.errors

    def error_messages(self):
        """The errors as {parameter: [French messages]}."""
        return {name: list(messages) for name, messages in self.form.errors.items()}

    def error_payload(self):
        """The body of a 400 in JSON (the API, the JSON export)."""
        return {
            "detail": _("Les paramètres de filtre ne sont pas valides."),
            "errors": self.error_messages(),
        }

    def error_response(self, content_type="text/plain"):
        """The 400 answer of a download or a feed, in JSON or plain French text."""
        if content_type == "application/json":
            return JsonResponse(
                self.error_payload(), status=400, json_dumps_params={"ensure_ascii": False}
            )
        lines = [_("Les paramètres de filtre ne sont pas valides :")]
        for name, messages in self.error_messages().items():
            lines.append(f"- {name} : {' '.join(messages)}")
        return HttpResponseBadRequest(
            "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
        )

    # The criteria -------------------------------------------------------------------------

    def selected(self, name):
        """The values chosen for one criterion, as strings."""
        value = self.form.cleaned_data.get(name)
        if value in (None, ""):
            return []
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        return [str(value)]

    @property
    def search_query(self):
        return self.form.cleaned_data.get("q", "").strip() if self.is_valid() else ""

    @property
    def applied_sort(self):
        """The order the results come in: "title", "rank" or "recent"."""
        value = self.form.cleaned_data.get("tri") or ""
        if value == Sort.TITLE:
            return "title"
        if self.search_query and value in ("", Sort.RELEVANCE) and not self.ranked_by_date:
            return "rank"
        return "recent"

    @property
    def sort_choice(self):
        """The value the sort menu shows: relevance for a search until another sort is chosen."""
        value = self.form.cleaned_data.get("tri") or ""
        if self.search_query and value in ("", Sort.RELEVANCE):
            return Sort.RELEVANCE
        if value == Sort.TITLE:
            return Sort.TITLE
        return Sort.RECENT

    @property
    def ranked_by_date(self):
        """True when relevance was asked for but there were too many results to rank."""
        value = self.form.cleaned_data.get("tri") or ""
        if not self.search_query or value not in ("", Sort.RELEVANCE):
            return False
        return self.total > self.RANK_LIMIT

    # Counts, from the index ---------------------------------------------------------------

    @cached_property
    def search(self):
        """The search's outcome (usecases.search.Search: ids, corrections, approximate or
        not), None without words."""
        if not self.search_query:
            return None
        return find(self.search_query, correct=not self.form.cleaned_data.get("tel_quel"))

    @cached_property
    def _base(self):
        """The cases within the scope and matching the words searched."""
        base = self.index.all
        for name, value in self.scope.items():
            base &= self.index.mask(name, value)
        if self.search is not None:
            base &= self.index.matching(self.search.pks)
        return base

    @cached_property
    def _chosen(self):
        chosen = {}
        for criterion in CRITERIA:
            values = self.selected(criterion.name)
            if values:
                chosen[criterion.name] = self.index.union(criterion.name, values)
        return chosen

    def _mask_without(self, excluded):
        mask = self._base
        for name, chosen in self._chosen.items():
            if name != excluded:
                mask &= chosen
        return mask

    @cached_property
    def mask(self):
        """The results as a bit set over the index's positions."""
        return self._mask_without(None)

    @cached_property
    def total(self):
        return self.mask.bit_count()

    def counts(self, name):
        """{value: number of results} of one criterion, over the results of the others."""
        over = self.mask if name not in self._chosen else self._mask_without(name)
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

    def offered(self, criterion):
        """Whether the facet of this criterion is shown (never for the scope's criteria)."""
        if criterion.name in self.scope:
            return False
        if not criterion.offered_with:
            return True
        return any(self.selected(name) for name in (criterion.name, *criterion.offered_with))

    def facets(self):
        """The facets offered, each option with its count, ready for the template."""
        facets = []
        for criterion in CRITERIA:
            if not self.offered(criterion):
                continue
            selected = set(self.selected(criterion.name))
            counts = self.counts(criterion.name)
            choices = criterion.facet_choices(
                counts,
                selected,
                self.index.reference,
                self.index.labels.get(criterion.name, {}),
            )
            options = []
            for value, label in choices:
                value = str(value)
                count = counts.get(value, 0)
                if count or criterion.show_zero or value in selected:
                    options.append(FacetOption(value, str(label), count, value in selected))
            facets.append(
                Facet(
                    criterion.name,
                    str(criterion.label),
                    options,
                    criterion.multiple,
                    str(criterion.any_label),
                )
            )
        return facets

    # Rows ---------------------------------------------------------------------------------

    def _ordered_positions(self, order):
        if order == "title":
            view = BitView(self.mask)
            return (position for position in self.index.title_order if position in view)
        return positions_of(self.mask)

    def _ordered_ids(self, order):
        """The ids of the results in this order (a ranked list, or a generator)."""
        ids = self.index.ids
        if order == "rank":
            return self.search.ranked([ids[position] for position in positions_of(self.mask)])
        return (ids[position] for position in self._ordered_positions(order))

    def page(self, cases, offset, limit):
        """One page of the results, in the listing's order, as instances from `cases`,
        with the search's snippets."""
        page_ids = list(islice(self._ordered_ids(self.applied_sort), offset, offset + limit))
        fields, deferring = cases.query.deferred_loading
        if self.search is not None and not deferring:
            # The texts the snippets are cut from, read with the cards (.only() cards).
            cases = cases.only(*fields, *SNIPPET_FIELDS)
        results = _fetch(cases, page_ids)
        if self.search is not None:
            add_snippets(self.search, results)
        return results

    def sequence(self, cases):
        """The results as a sequence for a Paginator, fetched from `cases` a page at a time."""
        return ResultSequence(self, cases)

    def iterate(self, cases, *, newest_first=False, limit=None, chunk_size=500):
        """The results as instances from `cases`, fetched chunk by chunk (exports, feeds).

        In the listing's order, or newest first; at most `limit` of them.
        """
        order = "recent" if newest_first else self.applied_sort
        pending = islice(self._ordered_ids(order), limit)
        while chunk := list(islice(pending, chunk_size)):
            yield from _fetch(cases, chunk)

    # The same selection in SQL ------------------------------------------------------------

    def queryset(self, cases, without=None):
        """The results as a SQL queryset over `cases` (published), in the listing's order.

        `without`: leave that criterion out (what its facet counts over). For what must run in
        the database alone; lists and counts use the index.
        """
        if self.search_query:
            cases = search_use_cases(cases, self.search_query)
        for name, value in self.scope.items():
            cases = CRITERIA_BY_NAME[name].filter(cases, [value])
        for criterion in CRITERIA:
            values = self.selected(criterion.name)
            if values and criterion.name != without:
                cases = criterion.filter(cases, values)
        return cases.order_by(*ORDERINGS[self.applied_sort])


def _fetch(cases, page_ids):
    """The instances of these ids from `cases`, in this order.

    Filtered again: a case withdrawn since the index was built is left out.
    """
    found = cases.filter(pk__in=page_ids).in_bulk(page_ids)
    return [found[pk] for pk in page_ids if pk in found]


class ResultSequence:
    """len() is the count from the index; a slice fetches the instances of that page only."""

    def __init__(self, listing, cases):
        self.listing, self.cases = listing, cases

    def __len__(self):
        return self.listing.total

    def __getitem__(self, window):
        return self.listing.page(self.cases, window.start, window.stop - window.start)
