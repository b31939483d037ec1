"""The models of the catalogue, one module per concern; import them from here."""

from .catalogue_version import CatalogueVersion
from .moderation import ErrorReport, ModerationEvent, Submission, UseCaseRevision
from .resources import Resource, resource_upload_path
from .search import SearchWord, ThesaurusEntry
from .use_case import (
    CARD_FIELDS,
    CONTENT_FIELDS,
    MAX_YEAR,
    MIN_YEAR,
    KeyFigure,
    UseCase,
    UseCaseQuerySet,
    UseCaseSlugHistory,
    published_count,
    record_slug_change,
)
from .vocabulary import Technique, Theme

__all__ = [
    "CARD_FIELDS",
    "CONTENT_FIELDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "CatalogueVersion",
    "ErrorReport",
    "KeyFigure",
    "ModerationEvent",
    "Resource",
    "SearchWord",
    "Submission",
    "Technique",
    "Theme",
    "ThesaurusEntry",
    "UseCase",
    "UseCaseQuerySet",
    "UseCaseRevision",
    "UseCaseSlugHistory",
    "published_count",
    "record_slug_change",
    "resource_upload_path",
]
