"""URLs of the collectivité pages (namespace « collectivites »), wherever their views live."""

from django.urls import path

from collectivites.views import suggestions

from . import directory

app_name = "collectivites"

urlpatterns = [
    path("collectivites/", directory.collectivite_list, name="list"),
    path("collectivites/suggestions/", suggestions, name="suggestions"),
    path("collectivites/<slug:slug>/", directory.collectivite_detail, name="detail"),
]
