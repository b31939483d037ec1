from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

LIST = {"get": "list"}
DETAIL = {"get": "retrieve"}

urlpatterns = [
    path("", views.documentation, name="documentation"),
    path("v1/", views.api_root, name="root"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/cas-d-usage/", views.UseCaseViewSet.as_view(LIST), name="usecase-list"),
    # <str:…> rather than <slug:…>: any segment reaches the API, which answers 404 in JSON.
    path(
        "v1/cas-d-usage/<str:slug>/",
        views.UseCaseViewSet.as_view(DETAIL),
        name="usecase-detail",
    ),
    path(
        "v1/cas-d-usage/<str:slug>/historique/",
        views.UseCaseViewSet.as_view({"get": "history"}),
        name="usecase-history",
    ),
    path("v1/themes/", views.ThemeViewSet.as_view(LIST), name="theme-list"),
    path("v1/themes/<str:slug>/", views.ThemeViewSet.as_view(DETAIL), name="theme-detail"),
    path("v1/collectivites/", views.CollectiviteViewSet.as_view(LIST), name="collectivite-list"),
    path(
        "v1/collectivites/<str:slug>/",
        views.CollectiviteViewSet.as_view(DETAIL),
        name="collectivite-detail",
    ),
    re_path(r"^v1/", views.not_found),
]
