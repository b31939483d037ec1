"""sitemap.xml: an index of sections, each split in pages of at most 50,000 addresses."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from collectivites.models import Collectivite
from usecases.models import Theme, UseCase


class PagesSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "usecases:list",
            "collectivites:list",
            "opendata:index",
            "api:documentation",
        ]

    def location(self, name):
        return reverse(name)


class ThemeSitemap(Sitemap):
    def items(self):
        return Theme.objects.all()


class UseCaseSitemap(Sitemap):
    def items(self):
        return UseCase.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, use_case):
        return use_case.updated_at

    def get_latest_lastmod(self):
        # Django's default would load every item to take the maximum: one aggregate instead.
        return UseCase.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CollectiviteSitemap(Sitemap):
    """Collectivités that carry or partner in at least one published case."""

    def items(self):
        published = UseCase.objects.published()
        return (
            Collectivite.objects.filter(
                Q(Exists(published.filter(collectivite=OuterRef("pk"))))
                | Q(Exists(published.filter(partners=OuterRef("pk"))))
            )
            .only("slug")
            .order_by("pk")
        )


SITEMAPS = {
    "pages": PagesSitemap,
    "themes": ThemeSitemap,
    "cas-d-usage": UseCaseSitemap,
    "collectivites": CollectiviteSitemap,
}
