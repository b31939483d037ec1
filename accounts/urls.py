from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("supprimer/", views.delete_account, name="delete_account"),
]
