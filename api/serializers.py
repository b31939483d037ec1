"""Serializers of the read-only API.

A use case is the open-data record itself (`usecases.exports.use_case_record`), so the API, the
CSV and the JSON exports always carry the same fields. Its serializer fields are generated from
the Table Schema: they only document the record in the OpenAPI schema.
"""

from django.urls import reverse
from rest_framework import serializers

from bibliotheque.site import absolute_url
from collectivites.models import Collectivite
from usecases.exports import load_schema, use_case_record
from usecases.models import Theme


def site_base_url(request=None):
    """The site's address ("https://host") from SITE_URL, to make the records' links absolute.

    Never the request's Host: a forged port or name would otherwise end up in open data that
    others copy.
    """
    return absolute_url().rstrip("/")


def _schema_field(field):
    required = field.get("constraints", {}).get("required", False)
    options = {"read_only": True, "label": field["title"], "help_text": field["description"]}
    if field["type"] == "array":
        return serializers.ListField(child=serializers.CharField(), **options)
    if field["type"] == "integer":
        return serializers.IntegerField(allow_null=not required, **options)
    if field["type"] == "datetime":
        return serializers.DateTimeField(allow_null=not required, **options)
    return serializers.CharField(**options)


class UseCaseRecordSerializer(serializers.Serializer):
    def to_representation(self, instance):
        return use_case_record(instance, site_base_url(self.context.get("request")))


UseCaseSerializer = type(
    "UseCaseSerializer",
    (UseCaseRecordSerializer,),
    {
        "__doc__": "Un cas d’usage publié (les champs du schéma cas-d-usage).",
        "__module__": __name__,
        **{field["name"]: _schema_field(field) for field in load_schema()["fields"]},
    },
)


class ThemeSerializer(serializers.ModelSerializer):
    published_count = serializers.IntegerField(
        read_only=True, help_text="Nombre de cas d’usage publiés dans ce thème."
    )
    url = serializers.SerializerMethodField(help_text="Adresse de la page du thème.")
    feed_url = serializers.SerializerMethodField(help_text="Flux Atom des cas d’usage du thème.")

    class Meta:
        model = Theme
        fields = ["slug", "name", "description", "published_count", "url", "feed_url"]

    def get_url(self, theme) -> str:
        return self.context["request"].build_absolute_uri(theme.get_absolute_url())

    def get_feed_url(self, theme) -> str:
        path = reverse("opendata:theme_feed", kwargs={"slug": theme.slug})
        return self.context["request"].build_absolute_uri(path)


class CollectiviteSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    departement_code = serializers.CharField(source="departement.code", default="", read_only=True)
    departement_name = serializers.CharField(source="departement.name", default="", read_only=True)
    region_code = serializers.CharField(source="region.code", default="", read_only=True)
    region_name = serializers.CharField(source="region.name", default="", read_only=True)
    epci = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Identifiant de l’intercommunalité dont la commune est membre.",
    )
    published_count = serializers.IntegerField(
        read_only=True, help_text="Nombre de cas d’usage publiés que porte la collectivité."
    )
    url = serializers.SerializerMethodField(help_text="Adresse de la page de la collectivité.")

    class Meta:
        model = Collectivite
        fields = [
            "slug",
            "name",
            "kind",
            "kind_label",
            "code",
            "siren",
            "departement_code",
            "departement_name",
            "region_code",
            "region_name",
            "population",
            "epci",
            "published_count",
            "url",
        ]

    def get_url(self, collectivite) -> str:
        return self.context["request"].build_absolute_uri(collectivite.get_absolute_url())
