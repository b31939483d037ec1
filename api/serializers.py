"""Serializers of the read-only API.

A use case is the open-data record itself (`usecases.exports.use_case_record`), so the API, the
CSV and the JSON exports always carry the same fields. Its serializer fields are generated from
the Table Schema: they only document the record in the OpenAPI schema.
"""

from django.urls import reverse
from rest_framework import serializers

from bibliotheque.site import absolute_url
from collectivites.models import Collectivite
from usecases.exports import isoformat, load_schema, use_case_record
from usecases.history import current_version, entry_data, public_history
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


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Nom du champ, celui du formulaire de contribution.")
    label = serializers.CharField(help_text="Libellé du champ, en français.")
    before = serializers.CharField(help_text="Valeur de la version précédente (vide : aucune).")
    after = serializers.CharField(help_text="Valeur de cette version (vide : aucune).")


class HistoryEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["publication", "republication", "update", "edit", "confirmation"],
        help_text="Publication, nouvelle publication, mise à jour acceptée, correction par la "
        "modération, ou confirmation « Toujours à jour » (aucun champ modifié).",
    )
    title = serializers.CharField(help_text="L’intitulé de l’entrée, en français.")
    date = serializers.DateTimeField()
    version = serializers.IntegerField(
        allow_null=True, help_text="Numéro de la version publiée (null : une confirmation)."
    )
    changes = HistoryChangeSerializer(many=True, help_text="Ce qui a changé, champ par champ.")
    complete = serializers.BooleanField(
        help_text="Faux quand le détail des changements n’a pas été conservé (versions "
        "antérieures à l’historique)."
    )


class UseCaseHistorySerializer(serializers.Serializer):
    """A published case's version number, dates and public history, newest entry first."""

    slug = serializers.CharField()
    url = serializers.URLField(help_text="La fiche sur le site.")
    history_url = serializers.URLField(help_text="La page de l’historique sur le site.")
    version = serializers.IntegerField(help_text="Numéro de la version publiée actuelle.")
    updated_at = serializers.DateTimeField(help_text="Dernière modification de la fiche.")
    information_date = serializers.DateTimeField(
        help_text="« Informations à jour au » : dernière publication, mise à jour ou confirmation."
    )
    history = HistoryEntrySerializer(many=True)

    def to_representation(self, use_case):
        # Plain data, dates in UTC as in every record (usecases.exports.isoformat).
        base = site_base_url(self.context.get("request"))
        entries = public_history(use_case)
        return {
            "slug": use_case.slug,
            "url": base + use_case.get_absolute_url(),
            "history_url": base + reverse("reviews:history", kwargs={"slug": use_case.slug}),
            "version": current_version(entries),
            "updated_at": isoformat(use_case.updated_at),
            "information_date": isoformat(use_case.information_date),
            "history": [entry_data(entry) for entry in entries],
        }
