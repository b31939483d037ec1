"""What a moderator checks before publishing a sheet: a completeness checklist.

Read-only: the checklist informs the decision, it never blocks it (a sheet can be complete
enough to publish with a Tier 2 field missing).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bibliotheque.text import normalize

from . import diff
from .choices import Hosting
from .forms import REQUIRED_FOR_SUBMISSION
from .models import UseCase

# Tier 2: not required to submit, but what makes a sheet useful to another collectivité.
RECOMMENDED = [
    "results",
    "data_used",
    "hosting",
    "human_oversight",
    "personal_data",
    "impact_assessment",
    "ai_act_risk",
    "environmental_footprint",
    "lessons_learned",
]
# Local parts of functional addresses: « dsi@… », « projets-ia@… » are not a person's.
FUNCTIONAL_WORDS = {
    "accueil",
    "contact",
    "communication",
    "data",
    "dsi",
    "dgs",
    "donnees",
    "info",
    "innovation",
    "numerique",
    "projet",
    "projets",
    "ia",
    "service",
    "services",
    "mairie",
    "direction",
    "secretariat",
    "eau",
    "environnement",
}
PERSON_LIKE = re.compile(r"^([a-z]+)[.\-_]([a-z]+)$")


@dataclass
class Check:
    ok: bool
    label: str
    details: list = field(default_factory=list)
    # (title, admin URL name, pk) of related sheets, for duplicates.
    sheets: list = field(default_factory=list)


def _missing(use_case, names):
    values = diff.use_case_values(use_case)
    missing = []
    for name in names:
        value = values.get(name)
        if name == "hosting" and value == Hosting.UNKNOWN:
            value = ""
        if value in ("", None, []):
            missing.append(diff.label(name))
    return missing


def looks_personal(email, author=None):
    """« prenom.nom@… » or the contributor's own name: not an address to publish."""
    local = normalize(email.split("@", 1)[0]).replace(" ", ".")
    match = PERSON_LIKE.match(local)
    if match and not (set(match.groups()) & FUNCTIONAL_WORDS):
        return True
    if author is not None and author.last_name:
        last_name = normalize(author.last_name).replace(" ", "")
        return len(last_name) > 2 and last_name in local.replace(".", "")
    return False


def checklist(use_case):
    """The checks shown on the review screen, in reading order."""
    return [
        *_completeness_checks(use_case),
        _contact_check(use_case),
        *_duplicate_checks(use_case),
    ]


def _completeness_checks(use_case):
    missing = _missing(use_case, REQUIRED_FOR_SUBMISSION)
    yield Check(not missing, _("Champs obligatoires (niveau 1) remplis"), missing)
    missing = _missing(use_case, RECOMMENDED)
    yield Check(not missing, _("Champs recommandés (niveau 2) remplis"), missing)
    yield Check(use_case.resources.exists(), _("Au moins une source (ressource, lien ou document)"))


def _contact_check(use_case):
    email = use_case.contact_email
    personal = bool(email) and looks_personal(email, use_case.author)
    return Check(
        not personal,
        _("Adresse de contact fonctionnelle plutôt que nominative"),
        [email] if personal else [],
    )


def _duplicate_checks(use_case):
    """Other sheets sent for review with the same title, or by the same collectivité on the
    same theme."""
    others = UseCase.objects.sent_for_review().exclude(pk=use_case.pk)
    title = normalize(use_case.title)
    # Candidates found by the catalogue search, then compared without accents or case.
    same_title = [
        other
        for other in others.search(use_case.title).only("title", "status")[:200]
        if normalize(other.title) == title
    ]
    yield Check(not same_title, _("Pas d’autre fiche au même titre"), sheets=same_title)
    same_place = list(
        others.filter(collectivite=use_case.collectivite, theme=use_case.theme)
        .exclude(pk__in=[other.pk for other in same_title])
        .only("title", "status")[:5]
    )
    yield Check(
        not same_place,
        _("Pas d’autre fiche de la même collectivité sur le même thème"),
        sheets=same_place,
    )


@dataclass
class Queue:
    label: str
    count: int
    url: str
    oldest: object = None


def queues():
    """What waits for the moderators, for the admin home page: four counts, four queries."""
    from django.db.models import Count, Min
    from django.urls import reverse

    from .choices import ReportState, Status
    from .models import ErrorReport, UseCaseRevision

    def waiting(queryset, date_field):
        return queryset.aggregate(count=Count("pk"), oldest=Min(date_field))

    submissions = waiting(UseCase.objects.filter(status=Status.SUBMITTED), "updated_at")
    updates = waiting(UseCaseRevision.objects.filter(status=Status.SUBMITTED), "submitted_at")
    reports = waiting(ErrorReport.objects.exclude(state=ReportState.HANDLED), "created_at")
    return [
        Queue(
            ngettext("fiche à modérer", "fiches à modérer", submissions["count"]),
            submissions["count"],
            reverse("admin:usecases_submission_changelist"),
            submissions["oldest"],
        ),
        Queue(
            ngettext("mise à jour en revue", "mises à jour en revue", updates["count"]),
            updates["count"],
            reverse("admin:usecases_usecaserevision_changelist"),
            updates["oldest"],
        ),
        Queue(
            ngettext("signalement à traiter", "signalements à traiter", reports["count"]),
            reports["count"],
            reverse("admin:usecases_errorreport_changelist") + "?etat=a_traiter",
            reports["oldest"],
        ),
    ]
