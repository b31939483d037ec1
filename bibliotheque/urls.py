from django.contrib import admin
from django.urls import include, path

from . import pages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("usecases.urls")),
    path("", include("usecases.directory_urls")),
    path("", include("alerts.urls")),
    path("", include("reviews.urls")),
    path("", include("widget.urls")),
    path("", include("usecases.mutualisation.urls")),
    path("admin/", admin.site.urls),
    path("compte/", include("accounts.urls")),
    path("compte/", include("allauth.urls")),
    path("api/", include("api.urls")),
    path("", include("opendata.urls")),
    path("sante/", views.health, name="health"),
    # Information pages every public-sector site owes its visitors (accessibility, legal notice…).
    path("statistiques/", pages.statistics, name="statistics"),
    path(
        "accessibilite/",
        pages.InformationPageView.as_view(template_name="site/accessibilite.html"),
        name="accessibility",
    ),
    path(
        "mentions-legales/",
        pages.InformationPageView.as_view(template_name="site/mentions_legales.html"),
        name="legal_notice",
    ),
    path(
        "donnees-personnelles/",
        pages.InformationPageView.as_view(template_name="site/donnees_personnelles.html"),
        name="privacy",
    ),
    path(
        "contact/",
        pages.InformationPageView.as_view(template_name="site/contact.html"),
        name="contact",
    ),
    path("plan-du-site/", pages.SiteMapView.as_view(), name="site_map"),
    path(
        "a-propos/",
        pages.InformationPageView.as_view(template_name="site/a_propos.html"),
        name="about",
    ),
    path("ecoconception/", pages.EcodesignView.as_view(), name="ecodesign"),
]

handler400 = "bibliotheque.views.bad_request"
handler404 = "bibliotheque.views.page_not_found"
handler500 = "bibliotheque.views.server_error"
