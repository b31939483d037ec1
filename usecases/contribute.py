"""Views of the contributor journey: drafts, resources, submission, updates, error reports."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bibliotheque.limits import exceeded

from . import emails, quotas, services
from .choices import EDITABLE_STATUSES, Status
from .forms import ErrorReportForm, ResourceForm, UseCaseForm
from .models import Resource, UseCase
from .permissions import can_edit, can_view_unpublished
from .validators import CONTENT_TYPES


def _profile(request):
    """The contributor's profile (accounts.ContributorProfile, an app above this one), or None."""
    try:
        return request.user.contributor_profile
    except ObjectDoesNotExist:
        return None


def _owned_case(request, pk, editable=False):
    """The requesting contributor's own case, or 404: another's case does not exist for them."""
    use_case = get_object_or_404(UseCase.objects.filter(author=request.user), pk=pk)
    if editable and not can_edit(request.user, use_case):
        raise Http404(_("Cette fiche n’est pas modifiable."))
    return use_case


def contribute_index(request):
    return render(request, "usecases/contribute/index.html")


@login_required
def use_case_edit(request, pk=None):
    """Create or edit a draft; one form, three buttons: save, preview, submit."""
    profile = _profile(request)
    if profile is None:
        messages.error(request, _("Votre compte n’est rattaché à aucune collectivité."))
        return redirect("usecases:contribute")
    use_case = _owned_case(request, pk, editable=True) if pk else None
    if use_case is None and not _already_created(request):
        refusal = quotas.open_cases_refusal(request.user)
        if refusal:
            messages.error(request, refusal)
            return redirect("usecases:my_contributions")
    action = request.POST.get("action", "draft")
    form = UseCaseForm(request.POST or None, instance=use_case, for_submission=action == "submit")
    status = 200
    if request.method == "POST":
        if use_case is None:
            existing = _already_created(request)
            if existing:
                return redirect("usecases:edit", pk=existing.pk)
        if form.is_valid():
            return _save(request, form, profile, action)
        status = 400
    context = {"form": form, "use_case": use_case, "creation_key": _creation_key(request)}
    return render(request, "usecases/contribute/form.html", context, status=status)


def _creation_key(request):
    return request.POST.get("creation_key") or uuid.uuid4()


def _already_created(request):
    try:
        key = uuid.UUID(request.POST.get("creation_key", ""))
    except ValueError:
        return None
    return UseCase.objects.filter(author=request.user, creation_key=key).first()


def _save(request, form, profile, action):
    if form.instance.pk is None:
        try:
            form.instance.creation_key = uuid.UUID(request.POST.get("creation_key", ""))
        except ValueError:
            form.instance.creation_key = None
    try:
        use_case = services.use_case_save_draft(
            form=form, author=request.user, collectivite=profile.collectivite
        )
    except services.EditConflict as error:
        form.add_error(None, str(error))
        context = {"form": form, "use_case": form.instance, "creation_key": ""}
        return render(request, "usecases/contribute/form.html", context, status=409)
    except IntegrityError:
        # The same form arrived twice at once: the first one created the draft.
        existing = _already_created(request)
        if existing is None:
            raise
        return redirect("usecases:edit", pk=existing.pk)
    if action == "preview":
        return redirect("usecases:preview", pk=use_case.pk)
    if action == "submit":
        return _submit(request, use_case)
    messages.success(request, _("Brouillon enregistré."))
    return redirect("usecases:edit", pk=use_case.pk)


def _submit(request, use_case):
    try:
        services.use_case_submit(use_case=use_case, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
        return redirect("usecases:edit", pk=use_case.pk)
    messages.success(
        request, _("Fiche envoyée à la modération : vous recevrez un courriel à la décision.")
    )
    return redirect("usecases:my_contributions")


@login_required
@require_POST
def use_case_submit(request, pk):
    use_case = _owned_case(request, pk)
    if use_case.status == Status.SUBMITTED:
        messages.info(request, _("Cette fiche est déjà en cours de modération."))
        return redirect("usecases:my_contributions")
    return _submit(request, use_case)


@login_required
def use_case_preview(request, pk):
    use_case = get_object_or_404(
        UseCase.objects.select_related("collectivite", "theme").prefetch_related(
            "techniques", "tags", "resources", "key_figures", "partners"
        ),
        pk=pk,
    )
    if not can_view_unpublished(request.user, use_case):
        raise Http404
    context = {"use_case": use_case, "related_cases": [], "is_preview": True}
    return render(request, "usecases/usecase_detail.html", context)


@login_required
def resources(request, pk):
    """List, add and remove the resources of one's editable case."""
    use_case = _owned_case(request, pk, editable=True)
    form = ResourceForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if request.FILES and quotas.upload_rate_exceeded(request):
            form.add_error(
                None, _("Trop de documents envoyés en peu de temps : réessayez plus tard.")
            )
            status = 429
        elif not form.is_valid():
            status = 400
        elif refusal := quotas.document_refusal(request.user, form.cleaned_data.get("file")):
            form.add_error("file", refusal)
            status = 400
        else:
            resource = form.save(commit=False)
            resource.use_case = use_case
            resource.position = use_case.resources.count()
            resource.save()
            messages.success(request, _("Ressource ajoutée : « %(title)s ».") % {"title": resource})
            return redirect("usecases:resources", pk=use_case.pk)
    context = {"use_case": use_case, "form": form, "resources": use_case.resources.all()}
    return render(request, "usecases/contribute/resources.html", context, status=status)


@login_required
@require_POST
def resource_delete(request, pk, resource_pk):
    use_case = _owned_case(request, pk, editable=True)
    resource = get_object_or_404(use_case.resources, pk=resource_pk)
    resource.file.delete(save=False)
    resource.delete()
    messages.success(request, _("Ressource supprimée."))
    return redirect("usecases:resources", pk=use_case.pk)


def resource_download(request, pk):
    """Documents of published cases: for all. Others: their contributor and the moderators."""
    resource = get_object_or_404(Resource.objects.select_related("use_case"), pk=pk)
    if not resource.file:
        raise Http404
    use_case = resource.use_case
    if not use_case.is_published and not can_view_unpublished(request.user, use_case):
        raise Http404
    extension = resource.file.name.rsplit(".", 1)[-1].lower()
    filename = f"{slugify(resource.title)[:80] or 'document'}.{extension}"
    response = FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES.get(f".{extension}", "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, the document runs in a sandbox without our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    if not use_case.is_published:
        # A private document must not stay in a shared cache or on a shared computer's disk.
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
def revision_edit(request, pk):
    """Propose an update of one's published case; the public sheet stays as it is meanwhile.

    Opening the form creates nothing: an update exists once its contributor saves it.
    """
    use_case = _owned_case(request, pk)
    try:
        revision = services.revision_current(use_case=use_case)
    except services.TransitionError as error:
        messages.error(request, str(error))
        return redirect("usecases:my_contributions")
    editable = revision is None or revision.status in EDITABLE_STATUSES
    action = request.POST.get("action", "draft")
    data = request.POST if request.method == "POST" and editable else None
    initial = _revision_initial(revision) if revision else None
    form = UseCaseForm(data, instance=use_case, initial=initial, for_submission=True)
    status = 200
    if data is not None:
        if form.is_valid():
            revision = services.revision_save(
                revision=revision or services.revision_open(use_case=use_case, by=request.user),
                form=form,
            )
            if action == "submit":
                services.revision_submit(revision=revision, by=request.user)
                messages.success(request, _("Mise à jour envoyée à la modération."))
                return redirect("usecases:my_contributions")
            messages.success(request, _("Mise à jour enregistrée (non envoyée)."))
            return redirect("usecases:revision", pk=use_case.pk)
        status = 400
    context = {"form": form, "use_case": use_case, "revision": revision, "editable": editable}
    return render(request, "usecases/contribute/revision_form.html", context, status=status)


def _revision_initial(revision):
    from collectivites import lookup
    from collectivites.models import Collectivite

    initial = dict(revision.data)
    partners = Collectivite.objects.filter(pk__in=initial.pop("partners", []))
    initial["partners_text"] = "\n".join(lookup.label(p) for p in partners)
    return initial


@login_required
def my_contributions(request):
    use_cases = (
        UseCase.objects.filter(author=request.user)
        .select_related("collectivite", "theme")
        .prefetch_related("moderation_events", "revisions")
        .order_by("-updated_at")
    )
    return render(request, "usecases/contribute/my_contributions.html", {"use_cases": use_cases})


def report_error(request, slug):
    use_case = get_object_or_404(UseCase.objects.published(), slug=slug)
    form = ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif exceeded(request, "error-report", f"{settings.ERROR_REPORTS_PER_HOUR}/h"):
            messages.error(
                request,
                _("Trop de signalements envoyés depuis votre connexion : réessayez plus tard."),
            )
            status = 429
        else:
            report = form.save(commit=False)
            report.use_case = use_case
            report.save()
            transaction.on_commit(lambda: emails.notify_error_report(report))
            messages.success(
                request, _("Merci : votre signalement a été transmis à la modération.")
            )
            return redirect(use_case)
    context = {"form": form, "use_case": use_case}
    return render(request, "usecases/contribute/report_form.html", context, status=status)
