"""Public pages of mutualisation (solutions) and the forms on a sheet (« nous aussi », contact)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bibliotheque.limits import exceeded
from usecases.choices import Status
from usecases.models import UseCase
from usecases.views import paginate

from . import observatory, services
from .forms import ContactForm, ReuseDeclarationForm, SolutionSearchForm
from .models import ReuseDeclaration, Solution

SOLUTIONS_PER_PAGE = 50


def solution_list(request):
    """Solutions named by published cases or declarations, most used first."""
    form = SolutionSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "reuse/solution_list.html", {"form": form}, status=400)
    solutions = Solution.objects.public().annotate(
        declaration_count=Count(
            "reuse_declarations",
            filter=Q(
                reuse_declarations__hidden_at__isnull=True,
                reuse_declarations__use_case__status=Status.PUBLISHED,
            ),
            distinct=True,
        )
    )
    query = form.cleaned_data["q"].strip()
    if query:
        solutions = solutions.filter(Q(name__icontains=query) | Q(publisher__icontains=query))
    solutions = solutions.order_by("-published_count", "name", "pk")
    page_obj = paginate(request, solutions, SOLUTIONS_PER_PAGE)
    return render(request, "reuse/solution_list.html", {"form": form, "page_obj": page_obj})


def solution_detail(request, slug):
    solution = Solution.objects.public().filter(slug=slug).first()
    if solution is None:
        former = Solution.objects.with_former_slug(slug).first()
        if former is None:
            raise Http404(_("Cette solution n’existe pas."))
        return HttpResponsePermanentRedirect(former.get_absolute_url())
    use_cases = list(solution.use_cases.published().with_card_data())
    declarations = list(
        ReuseDeclaration.objects.visible()
        .filter(Q(solution=solution) | Q(use_case__in=[case.pk for case in use_cases]))
        .select_related("collectivite", "use_case")
        .only(
            "kind",
            "year",
            "note",
            "collectivite__name",
            "collectivite__slug",
            "use_case__slug",
            "use_case__title",
            "solution_id",
        )
    )
    collectivites = {case.collectivite.name for case in use_cases} | {
        declaration.collectivite.name for declaration in declarations
    }
    context = {
        "solution": solution,
        "use_cases": use_cases,
        "declarations": declarations,
        "collectivite_count": len(collectivites),
        "dependencies": observatory.charts(observatory.solution_dependencies(solution), level=2),
    }
    return render(request, "reuse/solution_detail.html", context)


def solution_suggestions(request):
    """JSON names for the solution field of the contributor form (progressive enhancement)."""
    query = request.GET.get("q", "")[:100].strip()
    names = []
    if len(query) >= 2:
        names = list(
            Solution.objects.filter(name__icontains=query)
            .order_by("name")
            .values_list("name", flat=True)[:10]
        )
    return JsonResponse({"results": names})


def _published_case(slug):
    return get_object_or_404(UseCase.objects.published().select_related("collectivite"), slug=slug)


@login_required
def declare(request, slug):
    """« Nous aussi »: declare, or update, what the user's collectivité does with this case."""
    use_case = _published_case(slug)
    try:
        collectivite = services.can_declare(request.user, use_case)
    except services.ReuseError as error:
        messages.error(request, str(error))
        return redirect(use_case)
    existing = ReuseDeclaration.objects.filter(use_case=use_case, collectivite=collectivite).first()
    form = ReuseDeclarationForm(request.POST or None, instance=existing, use_case=use_case)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif exceeded(request, "reuse-declaration", settings.REUSE_DECLARATION_RATE):
            messages.error(
                request,
                _("Trop de déclarations envoyées depuis votre connexion : réessayez plus tard."),
            )
            status = 429
        else:
            _declaration, created = services.declaration_save(
                use_case=use_case, user=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                _("Merci : la déclaration de %(name)s est publiée sur la fiche.")
                % {"name": collectivite.name}
                if created
                else _("Votre déclaration a été mise à jour."),
            )
            return redirect(f"{use_case.get_absolute_url()}#repris")
    context = {
        "use_case": use_case,
        "collectivite": collectivite,
        "form": form,
        "declaration": existing,
    }
    return render(request, "reuse/declare.html", context, status=status)


@login_required
@require_POST
def withdraw(request, slug, pk):
    """Withdraw one's declaration; another's does not exist for the requester (404)."""
    use_case = _published_case(slug)
    profile = getattr(request.user, "contributor_profile", None)
    declaration = get_object_or_404(
        ReuseDeclaration.objects.filter(
            Q(author=request.user) | Q(collectivite_id=profile.collectivite_id if profile else None)
        ),
        pk=pk,
        use_case=use_case,
    )
    services.declaration_withdraw(declaration=declaration, user=request.user)
    messages.success(request, _("Votre déclaration a été retirée."))
    return redirect(use_case)


def _contact_limited(request, use_case):
    """Per client (behind the proxy: bibliotheque.limits.client_address), then per sheet: a
    sheet's team is not flooded from many addresses either. Valid messages only count."""
    return exceeded(request, "contact", settings.CONTACT_RATE_PER_CLIENT) or exceeded(
        request, "contact-sheet", settings.CONTACT_RATE_PER_SHEET, key=f"case:{use_case.pk}"
    )


def contact(request, slug):
    """« Contacter l’équipe »: relayed by e-mail; the team's address is never shown."""
    use_case = _published_case(slug)
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif _contact_limited(request, use_case):
            messages.error(
                request,
                _(
                    "Trop de messages envoyés depuis votre connexion ou sur cette fiche : "
                    "réessayez plus tard."
                ),
            )
            status = 429
        else:
            data = {
                name: form.cleaned_data[name]
                for name in ("name", "organisation", "email", "message")
            }
            services.contact_team(use_case=use_case, **data)
            messages.success(
                request,
                _(
                    "Votre message a été transmis à l’équipe du projet ; une copie vous a été "
                    "envoyée. La réponse vous parviendra directement par e-mail."
                ),
            )
            return redirect(use_case)
    context = {
        "use_case": use_case,
        "form": form,
        "retention_days": settings.CONTACT_RETENTION_DAYS,
    }
    return render(request, "reuse/contact.html", context, status=status)


def observatory_page(request):
    """/statistiques/dependances/: every figure of the dependency observatory."""
    figures = observatory.observatory()
    context = {
        "dependencies": figures,
        "charts": observatory.charts([*figures.dimensions, *figures.reuse_dimensions], level=2),
    }
    return render(request, "reuse/observatory.html", context)
