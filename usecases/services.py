"""The moderation workflow. Every state change of a case, or of a proposed update of a
published case, goes through one of these functions: views, admin actions and commands call
them, never `status = …` directly.

Each transition is a compare-and-swap (`UPDATE … WHERE status = <what we read>`) inside a
transaction: of two moderators deciding at once, or of a double-clicked submit, exactly one
wins and the other gets a TransitionError. E-mails leave only once the transaction commits.
"""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from usecases.mutualisation.forms import solutions_label

from . import diff, emails
from .choices import EDITABLE_STATUSES, ReportState, Status
from .models import ModerationEvent, UseCase, UseCaseRevision
from .pagecache import bump_catalogue_version

TRANSITIONS = {
    "submit": (set(EDITABLE_STATUSES), Status.SUBMITTED),
    "publish": ({Status.SUBMITTED, Status.ARCHIVED}, Status.PUBLISHED),
    "request_changes": ({Status.SUBMITTED}, Status.CHANGES_REQUESTED),
    "reject": ({Status.SUBMITTED}, Status.REJECTED),
    "archive": ({Status.PUBLISHED}, Status.ARCHIVED),
}
MESSAGE_REQUIRED = {"request_changes", "reject", "archive"}
# The moderator's decisions on a submitted case or on a proposed update, by the same names.
DECISIONS = ("publish", "request_changes", "reject")


class TransitionError(Exception):
    """A transition that is not allowed from the current state, or lost to a concurrent one."""


class EditConflict(TransitionError):
    """The sheet changed since the form was loaded: saving would overwrite someone's work."""


def _check(action, current, message):
    sources, _target = TRANSITIONS[action]
    if current not in sources:
        raise TransitionError(
            _("Cette action n’est pas possible : la fiche est « %(status)s ».")
            % {"status": Status(current).label}
        )
    if action in MESSAGE_REQUIRED and not message.strip():
        if action == "archive":
            raise TransitionError(_("Indiquez la raison de l’archivage."))
        raise TransitionError(_("Un message expliquant la décision est obligatoire."))


def _swap(model, pk, current, target, **fields):
    updated = model.objects.filter(pk=pk, status=current).update(status=target, **fields)
    if not updated:
        raise TransitionError(_("La fiche vient d’être modifiée par quelqu’un d’autre."))
    # update() sends no signal: cached public pages are invalidated here (usecases.pagecache).
    bump_catalogue_version()


def unique_slug(title, exclude_pk=None):
    base = slugify(title)[:150] or "cas-d-usage"
    slug, number = base, 2
    while UseCase.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def use_case_save_draft(*, form, author, collectivite):
    """Save the contributor form: creates the draft or updates an editable one."""
    with transaction.atomic():
        if form.instance.pk is not None:
            # Locked until commit: a concurrent save waits, then sees the new updated_at.
            current = (
                UseCase.objects.select_for_update()
                .values_list("updated_at", flat=True)
                .get(pk=form.instance.pk)
            )
            if form.edited_since(current):
                raise EditConflict(form.CONFLICT_MESSAGE)
        use_case = form.save(commit=False)
        if use_case.pk is None:
            use_case.author = author
            use_case.collectivite = collectivite
            use_case.status = Status.DRAFT
        if use_case.published_at is None:
            # Until first published, the URL follows the title.
            use_case.slug = unique_slug(use_case.title, exclude_pk=use_case.pk)
        use_case.save()
        form.save_m2m()
        use_case.partners.set(form.partners)
        use_case.solutions.set(form.resolved_solutions())
        UseCase.objects.filter(pk=use_case.pk).refresh_search_index()
    return use_case


def submission_problems(use_case):
    """French messages for what prevents submitting the case for review (empty if none)."""
    from .forms import UseCaseForm

    form = UseCaseForm(data=_form_data(use_case), instance=use_case, for_submission=True)
    problems = []
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            problems.extend(f"{label} : {error}" if label else error for error in errors)
    return problems


def _form_data(use_case):
    from django.forms.models import model_to_dict

    from .forms import UseCaseForm
    from .forms.key_figures import key_figure_initial

    data = model_to_dict(use_case, fields=UseCaseForm.Meta.fields)
    data["techniques"] = [t.pk for t in use_case.techniques.all()]
    data["tags"] = ", ".join(tag.name for tag in use_case.tags.all())
    data["theme"] = use_case.theme_id
    data.update(key_figure_initial(use_case))
    return {key: ("" if value is None else value) for key, value in data.items()}


def _record(use_case, *, actor, from_status, to_status, message="", revision=None, **fields):
    return ModerationEvent.objects.create(
        use_case=use_case,
        revision=revision,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        # Browsers send CRLF line breaks: stored and e-mailed as plain newlines.
        message=message.replace("\r\n", "\n").strip(),
        **fields,
    )


def use_case_submit(*, use_case, by):
    """A contributor sends a complete draft (or a corrected one) to the moderators."""
    current = UseCase.objects.values_list("status", flat=True).get(pk=use_case.pk)
    _check("submit", current, "")
    problems = submission_problems(use_case)
    if problems:
        raise TransitionError(_("La fiche est incomplète : ") + " ; ".join(problems))
    with transaction.atomic():
        _swap(UseCase, use_case.pk, current, Status.SUBMITTED, updated_at=timezone.now())
        event = _record(use_case, actor=by, from_status=current, to_status=Status.SUBMITTED)
        transaction.on_commit(lambda: emails.notify_moderators(event))
    use_case.refresh_from_db()
    return event


def _decide(action, *, use_case, moderator, message=""):
    current = UseCase.objects.values_list("status", flat=True).get(pk=use_case.pk)
    _check(action, current, message)
    target = TRANSITIONS[action][1]
    fields = {"updated_at": timezone.now()}
    if target == Status.PUBLISHED:
        fields["published_at"] = Coalesce(F("published_at"), timezone.now())
        # A publication dates the sheet's information (reviews app: « Informations à jour au »).
        fields["reviewed_at"] = fields["updated_at"]

    # What the moderator read when asking for changes (the resubmission is shown against it),
    # or the version published (the public history compares versions).
    snapshot = diff.use_case_values(use_case) if action in ("request_changes", "publish") else {}
    with transaction.atomic():
        _swap(UseCase, use_case.pk, current, target, **fields)
        event = _record(
            use_case,
            actor=moderator,
            from_status=current,
            to_status=target,
            message=message,
            snapshot=snapshot,
        )
        if target == Status.ARCHIVED:
            _close_open_revisions(use_case, moderator=moderator, message=message)
        transaction.on_commit(lambda: emails.notify_contributor(event))
    use_case.refresh_from_db()
    return event


def _close_open_revisions(use_case, *, moderator, message):
    """An archived sheet takes no update: a pending one is closed with the sheet's reason."""
    for revision in use_case.revisions.open():
        _swap(
            UseCaseRevision,
            revision.pk,
            revision.status,
            Status.ARCHIVED,
            decided_at=timezone.now(),
        )
        _record(
            use_case,
            actor=moderator,
            from_status=revision.status,
            to_status=Status.ARCHIVED,
            message=message,
            revision=revision,
        )


def use_case_publish(*, use_case, moderator, message=""):
    return _decide("publish", use_case=use_case, moderator=moderator, message=message)


def use_case_request_changes(*, use_case, moderator, message):
    return _decide("request_changes", use_case=use_case, moderator=moderator, message=message)


def use_case_reject(*, use_case, moderator, message):
    return _decide("reject", use_case=use_case, moderator=moderator, message=message)


def use_case_archive(*, use_case, moderator, message):
    """Unpublish a sheet; the reason is required, kept in the history and e-mailed."""
    return _decide("archive", use_case=use_case, moderator=moderator, message=message)


def use_case_decide(*, use_case, decision, moderator, message=""):
    """One of DECISIONS on a submitted case, as the review screen sends it."""
    if decision not in DECISIONS:
        raise ValueError(decision)
    return _decide(decision, use_case=use_case, moderator=moderator, message=message)


def use_case_record_edit(*, use_case, moderator, fields, message="", notify=False):
    """Record a moderator's direct edit of a sheet in its history, and tell its contributor
    if asked. `fields` are the names of the fields changed."""
    if not fields:
        return None
    event = _record(
        use_case,
        actor=moderator,
        from_status=use_case.status,
        to_status=use_case.status,
        message=message,
        changed_fields=list(fields),
        # The version after the edit, for the public history (reviews.history).
        snapshot=diff.use_case_values(use_case),
    )
    if notify:
        transaction.on_commit(lambda: emails.notify_contributor(event))
    return event


def changes_since_request(use_case, revision=None):
    """For a resubmission, what changed since the moderator asked for changes (None if the
    case, or the update, was never sent back)."""
    request = (
        use_case.moderation_events.filter(to_status=Status.CHANGES_REQUESTED, revision=revision)
        .order_by("-created_at", "-pk")
        .first()
    )
    if request is None or not request.snapshot:
        return None
    current = revision.data if revision is not None else diff.use_case_values(use_case)
    return {"event": request, "changes": diff.changes(request.snapshot, current)}


# Updates of published cases ------------------------------------------------------------


def revision_current(*, use_case):
    """The open update of a published case, or None: reading never creates one."""
    if use_case.status != Status.PUBLISHED:
        raise TransitionError(_("Seule une fiche publiée peut recevoir une mise à jour."))
    return use_case.revisions.open().first()


def revision_open(*, use_case, by):
    """The open update of a published case, created from its current values if none.

    Called when the contributor saves the update form, never when they merely open it.
    """
    revision = revision_current(use_case=use_case)
    if revision is None:
        revision = UseCaseRevision.objects.create(
            use_case=use_case, author=by, data=diff.use_case_values(use_case)
        )
    return revision


def revision_save(*, revision, form):
    """Store the proposed values; the published case is left untouched."""
    if revision.status not in EDITABLE_STATUSES:
        raise TransitionError(_("Cette mise à jour est en cours de modération."))
    data = {}
    for name in form.Meta.fields:
        value = form.cleaned_data.get(name)
        if name == "techniques":
            value = sorted(technique.pk for technique in value or [])
        elif name == "theme":
            value = value.pk if value else ""
        elif name == "tags":
            value = ", ".join(sorted(value or []))
        data[name] = "" if value is None else value
    data["partners"] = sorted(partner.pk for partner in form.partners)
    data.update(form.key_figure_data())
    # Proposed solutions are created now (public only once a published case names them).
    data["solutions_text"] = solutions_label(form.resolved_solutions())
    revision.data = data
    revision.save(update_fields=["data"])
    return revision


def revision_submit(*, revision, by):
    current = revision.status
    _check("submit", current, "")
    with transaction.atomic():
        _swap(UseCaseRevision, revision.pk, current, Status.SUBMITTED, submitted_at=timezone.now())
        event = _record(
            revision.use_case,
            actor=by,
            from_status=current,
            to_status=Status.SUBMITTED,
            revision=revision,
        )
        transaction.on_commit(lambda: emails.notify_moderators(event))
    revision.refresh_from_db()
    return event


def _apply(revision):
    """Copy the accepted values onto the published case, validated as a whole."""
    from .forms import UseCaseForm

    use_case = revision.use_case
    data = dict(revision.data)
    partners = data.pop("partners", [])
    data["partners_text"] = ""
    form = UseCaseForm(data=data, instance=use_case, for_submission=True)
    if not form.is_valid():
        errors = " ; ".join(
            f"{diff.label(name)} : {' '.join(messages)}" for name, messages in form.errors.items()
        )
        raise TransitionError(
            _("La mise à jour n’est pas valide : %(errors)s") % {"errors": errors}
        )
    use_case = form.save()
    use_case.partners.set(partners)
    use_case.solutions.set(form.resolved_solutions())
    UseCase.objects.filter(pk=use_case.pk).refresh_search_index()


def _decide_revision(action, *, revision, moderator, message=""):
    current = UseCaseRevision.objects.values_list("status", flat=True).get(pk=revision.pk)
    if action == "publish" and current != Status.SUBMITTED:
        raise TransitionError(_("Cette mise à jour n’est pas en attente de modération."))
    _check(action, current, message)
    target = TRANSITIONS[action][1]
    with transaction.atomic():
        _swap(UseCaseRevision, revision.pk, current, target, decided_at=timezone.now())
        revision.refresh_from_db()
        if target == Status.PUBLISHED:
            _apply(revision)
            # An accepted update dates the sheet's information anew.
            UseCase.objects.filter(pk=revision.use_case_id).update(reviewed_at=timezone.now())
        event = _record(
            revision.use_case,
            actor=moderator,
            from_status=current,
            to_status=target,
            message=message,
            revision=revision,
            snapshot=dict(revision.data) if action == "request_changes" else {},
        )
        transaction.on_commit(lambda: emails.notify_contributor(event))
    revision.refresh_from_db()
    return event


def revision_accept(*, revision, moderator, message=""):
    return _decide_revision("publish", revision=revision, moderator=moderator, message=message)


def revision_request_changes(*, revision, moderator, message):
    return _decide_revision(
        "request_changes", revision=revision, moderator=moderator, message=message
    )


def revision_reject(*, revision, moderator, message):
    return _decide_revision("reject", revision=revision, moderator=moderator, message=message)


def revision_decide(*, revision, decision, moderator, message=""):
    """One of DECISIONS on a proposed update, as the review screen sends it."""
    if decision not in DECISIONS:
        raise ValueError(decision)
    return _decide_revision(decision, revision=revision, moderator=moderator, message=message)


def revision_changes(revision):
    """What the update changes in the published case (usecases.diff.Change lines)."""
    return diff.changes(diff.use_case_values(revision.use_case), revision.data)


# Error reports ---------------------------------------------------------------------------


def _note(report, by, line):
    """Append a dated, signed line to the report's internal note (its short log)."""
    name = by.get_full_name() or by.email
    stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    entry = f"[{stamp}, {name}] {line.strip()}"
    report.internal_note = f"{report.internal_note.rstrip()}\n{entry}".strip()


def report_update(*, report, by, state, note):
    """Save the report's state and internal note."""
    report.state = state
    report.internal_note = note
    report.save(update_fields=["state", "internal_note"])
    return report


def report_reply(*, report, by, message):
    """Answer the person who reported the error, at the address they gave."""
    if not report.email:
        raise TransitionError(_("La personne n’a pas laissé d’adresse : impossible de répondre."))
    with transaction.atomic():
        _note(report, by, _("Réponse envoyée : %(message)s") % {"message": message})
        if report.state == ReportState.NEW:
            report.state = ReportState.IN_PROGRESS
        report.save(update_fields=["state", "internal_note"])
        transaction.on_commit(lambda: emails.send_report_reply(report, by=by, message=message))
    return report


def report_forward(*, report, by, message):
    """Pass the report on to the sheet's contributor (without the reporter's address)."""
    author = report.use_case.author
    if author is None or not author.email:
        raise TransitionError(_("La fiche n’a plus de compte contributeur à prévenir."))
    with transaction.atomic():
        _note(
            report,
            by,
            _("Transmis à la personne qui a contribué : %(message)s") % {"message": message},
        )
        if report.state == ReportState.NEW:
            report.state = ReportState.IN_PROGRESS
        report.save(update_fields=["state", "internal_note"])
        transaction.on_commit(lambda: emails.send_report_forward(report, by=by, message=message))
    return report
