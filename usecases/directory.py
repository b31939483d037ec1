"""The collectivités directory: which collectivités have published cases, and which ones.

These pages show catalogue content, so they live in the catalogue app; the referential
(collectivites/) only provides the collectivités and the suggestions of the forms.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from collectivites.forms import CollectiviteSearchForm
from collectivites.models import Collectivite
from usecases.mutualisation import nearby

from .listing.criteria import CRITERIA_BY_NAME, POPULATION_BANDS, population_band
from .models import UseCase, published_count

PER_PAGE = 50
SAME_SIZE_LIMIT = 6


def with_published_counts(collectivites):
    """Annotate each collectivité with the published cases it leads or is a partner of."""
    return collectivites.annotate(
        led_count=published_count("collectivite"),
        partner_count=published_count("partners"),
    ).annotate(published_count=F("led_count") + F("partner_count"))


def collectivite_list(request):
    """Collectivités, searchable and filtered; by default only those in published cases."""
    form = CollectiviteSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "collectivites/collectivite_list.html", {"form": form}, status=400)
    queryset = form.filter(Collectivite.objects.select_related("departement"))
    if not form.cleaned_data["toutes"]:
        # Narrow to the few collectivités in cases before counting, not all 36,000.
        published = UseCase.objects.published()
        queryset = queryset.filter(
            Q(pk__in=published.values("collectivite_id")) | Q(pk__in=published.values("partners"))
        )
    # search_name is the name without accents or capitals: a French alphabetical order.
    queryset = with_published_counts(queryset).order_by("-published_count", "search_name", "pk")
    try:
        page_obj = Paginator(queryset, PER_PAGE).page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage) as error:
        raise Http404(_("Cette page de résultats n’existe pas.")) from error
    return render(
        request,
        "collectivites/collectivite_list.html",
        {"form": form, "page_obj": page_obj},
    )


def collectivite_detail(request, slug):
    collectivite = get_object_or_404(
        Collectivite.objects.select_related("epci", "departement", "region"), slug=slug
    )
    published = UseCase.objects.published().with_card_data()
    own_cases = published.filter(Q(collectivite=collectivite) | Q(partners=collectivite)).distinct()
    context = {"collectivite": collectivite, "own_cases": own_cases}
    if collectivite.epci_id:
        context["epci_cases"] = published.filter(collectivite_id=collectivite.epci_id)
    if collectivite.is_epci or collectivite.kind == "ept":
        context["member_cases"] = published.filter(collectivite__epci=collectivite)
    if not own_cases:
        context.update(same_size(collectivite, published))
    context.update(nearby.context(collectivite))
    return render(request, "collectivites/collectivite_detail.html", context)


def same_size(collectivite, published):
    """Cases of collectivités of its population band, for a page that has none of its own."""
    band = population_band(collectivite.population)
    if band is None:
        return {}
    cases = CRITERIA_BY_NAME["population"].filter(published, [band])
    return {
        "same_size_cases": list(cases.exclude(collectivite=collectivite)[:SAME_SIZE_LIMIT]),
        "same_size_band": next(label for value, label, *_ in POPULATION_BANDS if value == band),
        "same_size_query": f"population={band}",
    }
