from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UseCasesConfig(AppConfig):
    name = "usecases"
    verbose_name = _("Cas d’usage")

    def ready(self):
        from . import signals

        signals.connect()
        post_migrate.connect(_sync_search_index, sender=self)


def _sync_search_index(using, **kwargs):
    """SQLite: empty the FTS5 index after a flush (tests), which leaves it out."""
    from . import search

    search.sync_fts(using)
