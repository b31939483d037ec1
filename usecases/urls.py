from django.urls import path

from . import views

app_name = "usecases"

urlpatterns = [
    path("cas-d-usage/", views.use_case_list, name="list"),
    path("cas-d-usage/<slug:slug>/", views.UseCaseDetailView.as_view(), name="detail"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
]
