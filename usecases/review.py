"""What a moderator checks before publishing a sheet: a completeness checklist.

Read-only: the checklist informs the decision, it never blocks it (a sheet can be complete
enough to publish with a Tier 2 field missing).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from collectivites.search import normalize

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
    checks = []
    missing = _missing(use_case, REQUIRED_FOR_SUBMISSION)
    checks.append(Check(not missing, _("Champs obligatoires (niveau 1) remplis"), missing))
    missing = _missing(use_case, RECOMMENDED)
    checks.append(Check(not missing, _("Champs recommandés (niveau 2) remplis"), missing))
    checks.append(
        Check(
            use_case.resources.exists(),
            _("Au moins une source (ressource, lien ou document)"),
        )
    )
    email = use_case.contact_email
    personal = bool(email) and looks_personal(email, use_case.author)
    checks.append(
        Check(
            not personal,
            _("Adresse de contact fonctionnelle plutôt que nominative"),
            [email] if personal else [],
        )
    )
    others = UseCase.objects.sent_for_review().exclude(pk=use_case.pk)
    title = normalize(use_case.title)
    same_title = [
        other
        for other in others.filter(collectivite=use_case.collectivite).only("title", "status")
        if normalize(other.title) == title
    ]
    same_title += [
        other
        for other in others.exclude(collectivite=use_case.collectivite)
        .filter(title__iexact=use_case.title)
        .only("title", "status")
    ]
    checks.append(Check(not same_title, _("Pas d’autre fiche au même titre"), sheets=same_title))
    same_place = list(
        others.filter(collectivite=use_case.collectivite, theme=use_case.theme)
        .exclude(pk__in=[other.pk for other in same_title])
        .only("title", "status")[:5]
    )
    checks.append(
        Check(
            not same_place,
            _("Pas d’autre fiche de la même collectivité sur le même thème"),
            sheets=same_place,
        )
    )
    return checks
