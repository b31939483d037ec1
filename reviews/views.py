from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from usecases.history import current_version, public_history
from usecases.models import UseCase
from usecases.redirects import former_slug_redirect

from . import services


@login_required
@require_http_methods(["GET", "POST"])
def confirm_still_current(request, pk, token):
    """The « Toujours à jour » link of a reminder: one button, for the contributor or a moderator.

    Anyone else gets a 404, as for any sheet they may not act on; a spent or expired link
    answers 410 with the way to propose an update.
    """
    use_case = get_object_or_404(UseCase.objects.published(), pk=pk)
    if not services.may_confirm(request.user, use_case):
        raise Http404(_("Cette fiche n’existe pas."))
    context = {"use_case": use_case}
    try:
        services.check_token(use_case, token)
    except services.InvalidLink:
        return render(request, "reviews/link_invalid.html", context, status=410)
    if request.method == "POST":
        try:
            services.confirm_still_current(use_case=use_case, by=request.user)
        except services.InvalidLink:
            return render(request, "reviews/link_invalid.html", context, status=410)
        messages.success(
            request,
            _("Merci : la fiche « %(title)s » est confirmée à jour.") % {"title": use_case.title},
        )
        return redirect(use_case)
    return render(request, "reviews/confirm.html", context)


def history(request, slug):
    """/cas-d-usage/<slug>/historique/: the published versions of a sheet and what changed.

    A sheet that is not published has no public history (404), as it has no public page.
    """
    use_case = (
        UseCase.objects.published().filter(slug=slug).only("title", "slug", "published_at").first()
    )
    if use_case is None:
        return former_slug_redirect(slug, "reviews:history")
    entries = public_history(use_case)
    context = {"use_case": use_case, "entries": entries, "versions": current_version(entries)}
    return render(request, "reviews/history.html", context)
