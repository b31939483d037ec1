"""The read-only JSON API (/api/v1/) and its documentation page (/api/).

Only published cases and public fields. Every list is throttled per client, answers in JSON,
including its errors (400, 404, 429), and writes answer 405.
"""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.viewsets import ReadOnlyModelViewSet

from collectivites.models import Collectivite
from usecases.models import Theme, UseCase, published_count
from usecases.redirects import former_slug_redirect

from .filters import CollectiviteSearchBackend, UseCaseFilterBackend
from .serializers import (
    CollectiviteSerializer,
    ThemeSerializer,
    UseCaseHistorySerializer,
    UseCaseSerializer,
    site_base_url,
)
from .throttling import ApiThrottled


class ApiPagination(PageNumberPagination):
    """Numbered pages, at most MAX_DEPTH results deep.

    A page costs what the database skips to reach it: past MAX_DEPTH results, the API answers
    400 and points to the filters and to the complete exports (/donnees/).
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = _lazy("Cette page de résultats n’existe pas.")
    MAX_DEPTH = 10_000

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        try:
            number = int(request.query_params.get(self.page_query_param, 1))
        except ValueError:
            number = 1  # DRF answers an invalid number itself.
        if page_size and (number - 1) * page_size >= self.MAX_DEPTH:
            message = _(
                "Les résultats ne sont paginés que sur leurs %(depth)s premiers : affinez "
                "la recherche (q, critères) ou téléchargez l’export complet sur /donnees/."
            ) % {"depth": f"{self.MAX_DEPTH:_}".replace("_", "\u202f")}
            raise ValidationError({"detail": message, "errors": {"page": [message]}})
        return super().paginate_queryset(queryset, request, view)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Message d’erreur en français.")


class InvalidParametersSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Les messages d’erreur, par paramètre.",
    )


NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Adresse ou page inconnue.")
THROTTLED = OpenApiResponse(ErrorSerializer, description="Trop de requêtes : réessayez plus tard.")
INVALID = OpenApiResponse(InvalidParametersSerializer, description="Paramètres invalides.")
MOVED = OpenApiResponse(description="Ancien identifiant : redirection vers l’adresse actuelle.")


class PublicReadOnlyViewSet(ReadOnlyModelViewSet):
    pagination_class = ApiPagination
    lookup_field = "slug"

    def throttled(self, request, wait):
        raise ApiThrottled(wait)


@extend_schema_view(
    list=extend_schema(
        summary="Cas d’usage publiés",
        description="Les mêmes critères que la page /cas-d-usage/, les mêmes résultats.",
        responses={200: UseCaseSerializer, 400: INVALID, 404: NOT_FOUND, 429: THROTTLED},
    ),
    retrieve=extend_schema(
        summary="Un cas d’usage publié",
        responses={200: UseCaseSerializer, 301: MOVED, 404: NOT_FOUND, 429: THROTTLED},
    ),
)
class UseCaseViewSet(PublicReadOnlyViewSet):
    serializer_class = UseCaseSerializer
    filter_backends = [UseCaseFilterBackend]

    def get_queryset(self):
        return UseCase.objects.published().with_public_record_data()

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            return former_slug_redirect(kwargs["slug"], "api:usecase-detail")

    @extend_schema(
        summary="Historique d’un cas d’usage publié",
        description="Son numéro de version, ses dates et chacune de ses versions publiées avec "
        "ce qui a changé, champ par champ, et ses confirmations « Toujours à jour » ; la "
        "page /cas-d-usage/<slug>/historique/ en est la version lisible.",
        responses={200: UseCaseHistorySerializer, 301: MOVED, 404: NOT_FOUND, 429: THROTTLED},
    )
    def history(self, request, slug):
        """/api/v1/cas-d-usage/<slug>/historique/ (usecases.history)."""
        use_case = (
            UseCase.objects.published()
            .filter(slug=slug)
            .only("slug", "updated_at", "published_at", "reviewed_at")
            .first()
        )
        if use_case is None:
            return former_slug_redirect(slug, "api:usecase-history")
        return Response(UseCaseHistorySerializer(use_case, context={"request": request}).data)


@extend_schema_view(
    list=extend_schema(
        summary="Thèmes", responses={200: ThemeSerializer(many=True), 429: THROTTLED}
    ),
    retrieve=extend_schema(
        summary="Un thème", responses={200: ThemeSerializer, 404: NOT_FOUND, 429: THROTTLED}
    ),
)
class ThemeViewSet(PublicReadOnlyViewSet):
    serializer_class = ThemeSerializer
    pagination_class = None
    queryset = Theme.objects.annotate(published_count=published_count("theme")).order_by(
        "position", "name"
    )


@extend_schema_view(
    list=extend_schema(
        summary="Collectivités",
        description="Par défaut, celles qui portent au moins un cas d’usage publié.",
        responses={200: CollectiviteSerializer, 400: INVALID, 404: NOT_FOUND, 429: THROTTLED},
    ),
    retrieve=extend_schema(
        summary="Une collectivité",
        responses={200: CollectiviteSerializer, 404: NOT_FOUND, 429: THROTTLED},
    ),
)
class CollectiviteViewSet(PublicReadOnlyViewSet):
    serializer_class = CollectiviteSerializer
    filter_backends = [CollectiviteSearchBackend]

    def get_queryset(self):
        return (
            Collectivite.objects.select_related("departement", "region", "epci")
            .annotate(published_count=published_count("collectivite"))
            .order_by("name", "pk")
        )


def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/v1/ answer in JSON too."""
    return JsonResponse(
        {"detail": _("Cette adresse n’existe pas dans l’API.")},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


def api_root(request):
    """/api/v1/: the entry points, for discovery."""
    links = {
        name: request.build_absolute_uri(reverse(f"api:{name}"))
        for name in ("usecase-list", "theme-list", "collectivite-list", "schema")
    }
    links["documentation"] = request.build_absolute_uri(reverse("api:documentation"))
    return JsonResponse(links)


# Hints for the criteria whose values come from the referential, on the documentation page.
PARAMETER_HINTS = {
    "q": _lazy("texte libre, %(max)d caractères au plus") % {"max": settings.SEARCH_MAX_LENGTH},
    "theme": _lazy("identifiant d’un thème (voir /api/v1/themes/)"),
    "region": _lazy("code INSEE d’une région, par exemple 53"),
    "departement": _lazy("code INSEE d’un département, par exemple 35"),
    "technique": _lazy("identifiant d’une technique (voir la page Données ouvertes)"),
    "mot_cle": _lazy("identifiant d’un mot-clé existant"),
    "annee": _lazy("année de début, de 1990 à 2100"),
    "collectivite": _lazy(
        "identifiant d’une collectivité (champ slug de /api/v1/collectivites/) : ses cas, "
        "qu’elle les porte ou y soit partenaire"
    ),
    "population": _lazy(
        "tranche d’habitants de la collectivité porteuse, borne basse comprise : moins-de-1000, "
        "1000-3500, 3500-10000, 10000-50000, 50000-200000, plus-de-200000"
    ),
    "mutualise": _lazy(
        "oui : les cas mutualisés ou ouverts à d’autres collectivités, ou menés avec des "
        "collectivités partenaires"
    ),
}


RATE_PERIODS = {
    "s": _lazy("seconde"),
    "m": _lazy("minute"),
    "h": _lazy("heure"),
    "d": _lazy("jour"),
}


def describe_rate(rate):
    """Say "120/minute" as "120 requêtes par minute"."""
    count, period = rate.split("/")
    return _("%(count)s requêtes par %(period)s") % {
        "count": count,
        "period": RATE_PERIODS[period[0]],
    }


def documentation(request):
    """The API documentation, server-rendered (no third-party script)."""
    parameters = []
    for parameter in UseCaseFilterBackend().get_schema_operation_parameters(None):
        schema = parameter["schema"]
        values = schema.get("items", schema).get("enum") or []
        parameters.append(
            {
                "name": parameter["name"],
                "label": parameter["description"],
                "multiple": schema["type"] == "array",
                "values": PARAMETER_HINTS.get(parameter["name"], ", ".join(values)),
            }
        )
    example = UseCase.objects.published().values_list("slug", flat=True).first()
    context = {
        "base_url": site_base_url(request),
        "parameters": parameters,
        "page_size": ApiPagination.page_size,
        "max_page_size": ApiPagination.max_page_size,
        "throttle_rate": describe_rate(api_settings.DEFAULT_THROTTLE_RATES["anon"]),
        "example_slug": example or "detecter-les-fuites-du-reseau-deau-potable",
    }
    return render(request, "pages/api.html", context)
