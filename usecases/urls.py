from django.urls import path

from . import contribute, views

app_name = "usecases"

urlpatterns = [
    path("cas-d-usage/", views.use_case_list, name="list"),
    path("cas-d-usage/<slug:slug>/", views.UseCaseDetailView.as_view(), name="detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("carte/", views.map_page, name="map"),
    path("carte.svg", views.map_image, name="map_image"),
    path("cas-d-usage/<slug:slug>/signaler/", contribute.report_error, name="report"),
    path("ressources/<int:pk>/document/", contribute.resource_download, name="resource_download"),
    path("contribuer/", contribute.contribute_index, name="contribute"),
    path("contribuer/nouveau/", contribute.use_case_edit, name="create"),
    path("contribuer/<int:pk>/modifier/", contribute.use_case_edit, name="edit"),
    path("contribuer/<int:pk>/apercu/", contribute.use_case_preview, name="preview"),
    path("contribuer/<int:pk>/soumettre/", contribute.use_case_submit, name="submit"),
    path("contribuer/<int:pk>/ressources/", contribute.resources, name="resources"),
    path(
        "contribuer/<int:pk>/ressources/<int:resource_pk>/supprimer/",
        contribute.resource_delete,
        name="resource_delete",
    ),
    path("contribuer/<int:pk>/mise-a-jour/", contribute.revision_edit, name="revision"),
    path("mes-contributions/", contribute.my_contributions, name="my_contributions"),
]
