from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("usecases.urls")),
    path("", include("collectivites.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "bibliotheque.views.bad_request"
handler404 = "bibliotheque.views.page_not_found"
handler500 = "bibliotheque.views.server_error"
