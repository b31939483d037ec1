from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "opendata"

urlpatterns = [
    path("donnees/", views.index, name="index"),
    path("donnees/cas-d-usage.csv", views.export_csv, name="export_csv"),
    path("donnees/cas-d-usage.json", views.export_json, name="export_json"),
    path("donnees/cas-d-usage.ods", views.export_ods, name="export_ods"),
    path("donnees/schema/cas-d-usage.json", views.schema, name="schema"),
    path("flux.xml", feeds.LatestUseCasesFeed(), name="feed"),
    path("themes/<slug:slug>/flux.xml", feeds.LatestUseCasesFeed(), name="theme_feed"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "opendata:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
