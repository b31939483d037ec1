from django.urls import path

from . import compare, resources, views

app_name = "reuse"

urlpatterns = [
    path("solutions/", views.solution_list, name="solutions"),
    path("solutions/suggestions/", views.solution_suggestions, name="solution_suggestions"),
    path("solutions/<slug:slug>/", views.solution_detail, name="solution"),
    path("cas-d-usage/<slug:slug>/nous-aussi/", views.declare, name="declare"),
    path("cas-d-usage/<slug:slug>/nous-aussi/<int:pk>/retirer/", views.withdraw, name="withdraw"),
    path("cas-d-usage/<slug:slug>/contacter/", views.contact, name="contact"),
    path("comparer/", compare.compare, name="compare"),
    path("ressources/", resources.resource_list, name="resources"),
    path("statistiques/dependances/", views.observatory_page, name="observatory"),
]
