"""Invalidate the page cache (usecases.pagecache) when what public pages show changes.

A safety net for the admin and the importers, which save through the ORM; the moderation
services and the bulk loaders, which write with update()/bulk_create(), bump it themselves.
"""

from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag, TaggedItem

from collectivites.models import Collectivite
from collectivites.signals import referential_imported

from .models import KeyFigure, Resource, Technique, Theme, ThesaurusEntry, UseCase
from .pagecache import bump_catalogue_version

# ThesaurusEntry: what a search finds changes with it.
WATCHED = [
    UseCase,
    KeyFigure,
    Resource,
    Theme,
    Technique,
    Collectivite,
    Tag,
    TaggedItem,
    ThesaurusEntry,
]


def _changed(sender, **kwargs):
    bump_catalogue_version()


def _receivers():
    for model in WATCHED:
        yield post_save, model, f"pagecache-save-{model.__name__}"
        yield post_delete, model, f"pagecache-delete-{model.__name__}"
    for through in (UseCase.partners.through, UseCase.techniques.through):
        yield m2m_changed, through, f"pagecache-{through.__name__}"


def connect():
    for signal, sender, uid in _receivers():
        signal.connect(_changed, sender=sender, dispatch_uid=uid)
    # The referential's import writes in bulk: names and régions show on public pages and in
    # the catalogue's filters, so cached pages and the catalogue index start again.
    referential_imported.connect(_changed, dispatch_uid="pagecache-referential-imported")


@contextmanager
def paused():
    """Bulk deletions without these receivers (Django then deletes in bulk, not row by row).

    The caller bumps the catalogue version itself, once.
    """
    for signal, sender, uid in _receivers():
        signal.disconnect(sender=sender, dispatch_uid=uid)
    try:
        yield
    finally:
        connect()
