from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from .facets import build_facets
from .filters import UseCaseFilterSet
from .models import Theme, UseCase


class CataloguePaginator(Paginator):
    """A paginator told its count (the facet query computed it) that fetches a page by ids.

    The page's ids come from a narrow query (an index-only scan for the default order, however
    deep the page), then the cards with their relations for those ids only.
    """

    def __init__(self, queryset, per_page, count):
        super().__init__(queryset, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property.

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        cards = UseCase.objects.filter(pk__in=ids).with_card_data().in_bulk(ids)
        return self._get_page([cards[pk] for pk in ids if pk in cards], number, self)


def paginate(request, queryset, per_page, count=None):
    """The requested page, or a 404 for a page that is not a number or lies past the end."""
    if count is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = CataloguePaginator(queryset, per_page, count)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage) as error:
        raise Http404(_("Cette page de résultats n’existe pas.")) from error


def render_catalogue(request, template_name, queryset, context=None, hidden_facets=()):
    """Filter, count facets and paginate published cases; 400 with the errors if input is bad.

    One query counts the facets and the results; the page then costs an id query and the
    cards' queries, whatever the number of results or the page number.
    """
    filterset = UseCaseFilterSet(request.GET, queryset=queryset, request=request)
    context = {
        **(context or {}),
        "filterset": filterset,
        "facets": [],
        "page_obj": None,
        "search_query": "",
    }
    if not filterset.is_valid():
        return render(request, template_name, context, status=400)
    facets = build_facets(filterset, skip=hidden_facets)
    filterset.result_count = facets.total
    context["page_obj"] = paginate(
        request, filterset.qs, settings.USE_CASES_PER_PAGE, count=facets.total
    )
    context["facets"] = facets
    context["search_query"] = filterset.search_query
    return render(request, template_name, context)


def use_case_list(request):
    """The catalogue: published cases, filtered, searched and sorted."""
    return render_catalogue(request, "usecases/usecase_list.html", UseCase.objects.published())


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    return render_catalogue(
        request,
        "usecases/theme_detail.html",
        UseCase.objects.published().filter(theme=theme),
        context={"theme": theme},
        hidden_facets=("theme",),
    )


class UseCaseDetailView(DetailView):
    template_name = "usecases/usecase_detail.html"
    context_object_name = "use_case"

    def get_queryset(self):
        return (
            UseCase.objects.published()
            .select_related("collectivite__region", "collectivite__departement", "theme")
            .prefetch_related("techniques", "tags", "resources", "key_figures", "partners")
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A former slug of a published case answers with a permanent redirect.
            use_case = UseCase.objects.published().with_former_slug(kwargs["slug"]).first()
            if use_case is None:
                raise
            return HttpResponsePermanentRedirect(use_case.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_cases"] = (
            UseCase.objects.published()
            .filter(theme_id=self.object.theme_id)
            .exclude(pk=self.object.pk)
            .select_related("collectivite")
            .order_by("-published_at")[:3]
        )
        context["is_preview"] = False
        return context
