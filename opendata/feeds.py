"""Atom feeds of newly published cases: all of them (/flux.xml) and per theme.

Both take the same query parameters as /cas-d-usage/ and select through the same engine
(usecases.listing); invalid ones answer 400.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from bibliotheque.typography import french
from usecases.listing import Listing
from usecases.models import Theme, UseCase

FEED_SIZE = 50


class InvalidFilters(Exception):
    def __init__(self, listing):
        super().__init__("Invalid filter parameters.")
        self.listing = listing


@dataclass
class FeedSource:
    listing: Listing
    query_string: str
    theme: Theme | None = None


class LatestUseCasesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFilters as error:
            return error.listing.error_response("text/plain")

    def get_object(self, request, *args, **kwargs):
        theme = get_object_or_404(Theme, slug=kwargs["slug"]) if "slug" in kwargs else None
        scope = {"theme": theme.slug} if theme is not None else None
        listing = Listing(request.GET, scope=scope)
        if not listing.is_valid():
            raise InvalidFilters(listing)
        return FeedSource(listing, request.GET.urlencode(), theme)

    def title(self, source):
        if source.theme is not None:
            return _("%(theme)s : les derniers cas d’usage — Bibliothèque d’IA territoriales") % {
                "theme": source.theme.name
            }
        return _("Les derniers cas d’usage publiés — Bibliothèque d’IA territoriales")

    def subtitle(self, source):
        return _(
            "Les cas d’usage de l’intelligence artificielle dans les collectivités, "
            "dès leur publication."
        )

    def link(self, source):
        path = source.theme.get_absolute_url() if source.theme else reverse("usecases:list")
        return f"{path}?{source.query_string}" if source.query_string else path

    def items(self, source):
        cases = UseCase.objects.published().with_card_data().prefetch_related("tags")
        return list(source.listing.iterate(cases, newest_first=True, limit=FEED_SIZE))

    # Titles, summaries and tags as the sheet shows them, with French typography (not stored).
    def item_title(self, use_case):
        return french(use_case.title)

    def item_description(self, use_case):
        return french(use_case.summary)

    def item_pubdate(self, use_case):
        return use_case.published_at

    def item_updateddate(self, use_case):
        return use_case.updated_at

    def item_author_name(self, use_case):
        return use_case.collectivite.name

    def item_categories(self, use_case):
        return [use_case.theme.name, *(french(tag.name) for tag in use_case.tags.all())]
