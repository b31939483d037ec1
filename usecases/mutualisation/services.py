"""State changes of mutualisation: declarations, solution merges and contact relays.

Each function is the one path for its change (views, admin actions and commands call it),
runs in a transaction and sends its e-mails once the transaction commits.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from usecases.pagecache import bump_catalogue_version

from . import emails
from .choices import ContactRecipient
from .models import ContactMessage, ReuseDeclaration, Solution, SolutionSlugHistory


class ReuseError(Exception):
    """A refused change, with a French message for the person who asked for it."""


def unique_solution_slug(name, exclude_pk=None):
    base = slugify(name)[:120] or "solution"
    slug, number = base, 2
    taken = Solution.objects.exclude(pk=exclude_pk)
    while (
        taken.filter(slug=slug).exists()
        or SolutionSlugHistory.objects.filter(old_slug=slug)
        .exclude(solution_id=exclude_pk)
        .exists()
    ):
        slug, number = f"{base}-{number}", number + 1
    return slug


def solution_propose(*, name):
    """The solution called `name` (case-insensitive), created if it does not exist yet.

    A proposed solution is public only once a published case or a declaration names it; the
    moderators review it with the sheet and complete it in the admin.
    """
    name = " ".join(name.split())
    existing = Solution.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Solution.objects.create(name=name, slug=unique_solution_slug(name))
    except IntegrityError:
        # The same name proposed twice at once: the other request created it.
        return Solution.objects.get(name__iexact=name)


def solution_merge(*, duplicate, into):
    """Move everything that names `duplicate` onto `into`, then delete it; its URLs redirect."""
    if duplicate.pk == into.pk:
        raise ReuseError(_("Une solution ne peut pas être fusionnée avec elle-même."))
    with transaction.atomic():
        into.use_cases.add(*duplicate.use_cases.all())
        ReuseDeclaration.objects.filter(solution=duplicate).update(solution=into)
        SolutionSlugHistory.objects.filter(solution=duplicate).update(solution=into)
        old_slug = duplicate.slug
        duplicate.delete()
        SolutionSlugHistory.objects.update_or_create(
            old_slug=old_slug, defaults={"solution": into, "created_at": timezone.now()}
        )
        bump_catalogue_version()
    return into


def can_declare(user, use_case):
    """The collectivité `user` may declare for on `use_case`, or a ReuseError saying why not."""
    profile = getattr(user, "contributor_profile", None) if user.is_authenticated else None
    if profile is None:
        raise ReuseError(_("Votre compte n’est rattaché à aucune collectivité."))
    collectivite = profile.collectivite
    if (
        use_case.collectivite_id == collectivite.pk
        or use_case.partners.filter(pk=collectivite.pk).exists()
    ):
        raise ReuseError(_("Votre collectivité porte déjà ce projet : il figure sur sa page."))
    return collectivite


def declaration_save(*, use_case, user, kind, year, note="", url="", solution=None):
    """Create or update the declaration of the user's collectivité (one per case).

    A double submission, even concurrent, leaves one row. A hidden declaration stays hidden.
    """
    collectivite = can_declare(user, use_case)
    values = {
        "kind": kind,
        "year": year,
        "note": note,
        "url": url,
        "solution": solution,
        "author": user,
    }
    try:
        with transaction.atomic():
            declaration, created = ReuseDeclaration.objects.update_or_create(
                use_case=use_case, collectivite=collectivite, defaults=values
            )
    except IntegrityError:
        # A concurrent first submission won the race: update the row it created.
        with transaction.atomic():
            ReuseDeclaration.objects.filter(use_case=use_case, collectivite=collectivite).update(
                **values, updated_at=timezone.now()
            )
        declaration = ReuseDeclaration.objects.get(use_case=use_case, collectivite=collectivite)
        created = False
    bump_catalogue_version()
    return declaration, created


def declaration_withdraw(*, declaration, user):
    """Its author (or any contributor of the same collectivité) withdraws it."""
    profile = getattr(user, "contributor_profile", None)
    if declaration.author_id != user.pk and (
        profile is None or profile.collectivite_id != declaration.collectivite_id
    ):
        raise ReuseError(_("Seule la collectivité qui l’a faite peut retirer cette déclaration."))
    with transaction.atomic():
        declaration.delete()
        bump_catalogue_version()


def declaration_hide(*, declaration, moderator, reason=""):
    with transaction.atomic():
        ReuseDeclaration.objects.filter(pk=declaration.pk).update(
            hidden_at=timezone.now(), hidden_by=moderator, hidden_reason=reason[:300]
        )
        bump_catalogue_version()
    declaration.refresh_from_db()
    return declaration


def declaration_show(*, declaration, moderator):
    with transaction.atomic():
        ReuseDeclaration.objects.filter(pk=declaration.pk).update(
            hidden_at=None, hidden_by=None, hidden_reason=""
        )
        bump_catalogue_version()
    declaration.refresh_from_db()
    return declaration


def contact_team(*, use_case, name, organisation, email, message):
    """Record the message and relay it to the sheet's contributor (or the moderators)."""
    author = use_case.author
    has_contributor = author is not None and author.is_active and bool(author.email)
    recipient = ContactRecipient.CONTRIBUTOR if has_contributor else ContactRecipient.MODERATORS
    with transaction.atomic():
        contact = ContactMessage.objects.create(
            use_case=use_case,
            name=name,
            organisation=organisation,
            email=email,
            message=message,
            recipient=recipient,
        )
        transaction.on_commit(lambda: emails.relay_contact(contact))
    return contact
