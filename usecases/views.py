from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from usecases.mutualisation import sheet as mutualisation

from .listing import Listing
from .maps import departement_map
from .models import Theme, UseCase
from .redirects import former_slug_redirect


def paginate(request, object_list, per_page):
    """The requested page, or a 404 for a page that is not a number or lies past the end."""
    try:
        return Paginator(object_list, per_page).page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage) as error:
        raise Http404(_("Cette page de résultats n’existe pas.")) from error


def render_catalogue(request, template_name, context=None, scope=None):
    """Filter, count facets and paginate published cases; 400 with the errors if input is bad.

    Through the catalogue engine (usecases.listing): the SQL is the search, if any, and the
    page's cards, whatever the number of results or the page number. `scope` narrows the
    catalogue ({"theme": slug}) and hides those criteria.
    """
    listing = Listing(request.GET, scope=scope)
    context = {
        **(context or {}),
        "listing": listing,
        "facets": [],
        "page_obj": None,
        "search_query": "",
        # « Comparer des cas » (?comparer=1): a checkbox on each card, off by default to keep
        # the list light (EcoIndex A, docs/ecoconception.md).
        "comparing": request.GET.get("comparer") == "1",
    }
    if not listing.is_valid():
        return render(request, template_name, context, status=400)
    context["facets"] = listing.facets()
    context["page_obj"] = paginate(
        request,
        listing.sequence(UseCase.objects.published().with_card_data()),
        settings.USE_CASES_PER_PAGE,
    )
    context["search_query"] = listing.search_query
    context["search"] = listing.search
    return render(request, template_name, context)


def use_case_list(request):
    """The catalogue: published cases, filtered, searched and sorted."""
    return render_catalogue(request, "usecases/usecase_list.html")


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    return render_catalogue(
        request,
        "usecases/theme_detail.html",
        context={"theme": theme},
        scope={"theme": theme.slug},
    )


class UseCaseDetailView(DetailView):
    template_name = "usecases/usecase_detail.html"
    context_object_name = "use_case"

    def get_queryset(self):
        return (
            UseCase.objects.published()
            .select_related("collectivite__departement", "theme")
            .prefetch_related("techniques", "tags", "resources", "key_figures", "partners")
            .prefetch_related(*mutualisation.prefetches())
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return former_slug_redirect(kwargs["slug"], "usecases:detail")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = False
        context.update(mutualisation.context(self.object, self.request.user))
        return context


def map_page(request):
    """/carte/: the published cases by département, as a map and as a table."""
    return render(request, "usecases/map.html", {"map": departement_map()})


def map_image(request):
    """/carte.svg: the same map as one image, for the home page (one light request, no DOM
    weight); its figures and links are on /carte/, which the image links to."""
    return render(
        request, "usecases/map.svg", {"map": departement_map()}, content_type="image/svg+xml"
    )
