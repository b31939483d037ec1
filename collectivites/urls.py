from django.urls import path

from . import views

app_name = "collectivites"

urlpatterns = [
    path("collectivites/", views.collectivite_list, name="list"),
    path("collectivites/suggestions/", views.suggestions, name="suggestions"),
    path("collectivites/<slug:slug>/", views.collectivite_detail, name="detail"),
]
