from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("cas-d-usage/<slug:slug>/historique/", views.history, name="history"),
    path(
        "contribuer/<int:pk>/toujours-a-jour/<str:token>/",
        views.confirm_still_current,
        name="confirm",
    ),
]
