"""The forms of the catalogue, one module per concern; import them from here."""

from .moderation import (
    ArchiveForm,
    DecisionForm,
    ReportForm,
    ReportMessageForm,
    ResourceAdminForm,
    UseCaseEditForm,
)
from .reports import ErrorReportForm
from .resources import ResourceForm
from .use_case import (
    HELP_TEXTS,
    REQUIRED_FOR_SUBMISSION,
    SECTIONS,
    EditConflictMixin,
    UseCaseAdminForm,
    UseCaseForm,
)

__all__ = [
    "ArchiveForm",
    "DecisionForm",
    "ReportForm",
    "ReportMessageForm",
    "ResourceAdminForm",
    "UseCaseEditForm",
    "HELP_TEXTS",
    "REQUIRED_FOR_SUBMISSION",
    "SECTIONS",
    "EditConflictMixin",
    "ErrorReportForm",
    "ResourceForm",
    "UseCaseAdminForm",
    "UseCaseForm",
]
