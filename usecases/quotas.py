"""What one contributor account may hold and send (docs/securite.md).

- `open_cases_refusal(user)`: cases not yet published nor closed (draft, in review, changes
  requested) are capped at CONTRIBUTOR_OPEN_CASES_MAX per account.
- `document_refusal(user, upload)`: documents across all of the account's cases are capped in
  number (CONTRIBUTOR_DOCUMENTS_MAX) and total weight (CONTRIBUTOR_DOCUMENTS_BYTES_MAX).
- `upload_rate_exceeded(request)`: at most UPLOAD_RATE document uploads per account
  (bibliotheque.limits, counted per account whatever the address).

Each refusal is a French message, or None when allowed. Bodies over REQUEST_MAX_BYTES never get
this far: bibliotheque.middleware.RequestHygieneMiddleware answers 413 before reading them.
"""

from django.conf import settings
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from bibliotheque.limits import exceeded, user_key

from .choices import Status
from .models import Resource, UseCase

OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED)


def open_cases_refusal(user):
    count = UseCase.objects.filter(author=user, status__in=OPEN_STATUSES).count()
    if count >= settings.CONTRIBUTOR_OPEN_CASES_MAX:
        return _(
            "Vous avez déjà %(count)s fiches en cours (brouillons ou en revue) : terminez-en ou "
            "supprimez-en une avant d’en créer une autre."
        ) % {"count": count}
    return None


def document_refusal(user, upload):
    """For an uploaded file (None for a link, always allowed)."""
    if not upload:
        return None
    size = upload.size
    held = (
        Resource.objects.filter(use_case__author=user)
        .exclude(file="")
        .aggregate(count=Count("pk"), total=Sum("size"))
    )
    if held["count"] >= settings.CONTRIBUTOR_DOCUMENTS_MAX:
        return _(
            "Votre compte détient déjà %(count)s documents, le maximum : retirez-en un avant "
            "d’en déposer un autre."
        ) % {"count": held["count"]}
    if (held["total"] or 0) + size > settings.CONTRIBUTOR_DOCUMENTS_BYTES_MAX:
        return _(
            "Vos documents pèsent déjà %(total)s ; avec celui-ci, ils dépasseraient les "
            "%(limit)s Mo permis par compte : retirez-en un ou déposez un lien."
        ) % {
            "total": filesizeformat(held["total"] or 0),
            "limit": settings.CONTRIBUTOR_DOCUMENTS_BYTES_MAX // settings.MIB,
        }
    return None


def upload_rate_exceeded(request):
    return exceeded(request, "document-upload", settings.UPLOAD_RATE, key=user_key(request.user))
