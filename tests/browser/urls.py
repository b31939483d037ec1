"""The site's URLs plus a test-only page that renders the 500 template (never in production)."""

from django.urls import path

from bibliotheque import views
from bibliotheque.urls import handler400, handler404, handler500  # noqa: F401
from bibliotheque.urls import urlpatterns as site_urlpatterns

from .site_pages import SERVER_ERROR_PATH

urlpatterns = [
    path(SERVER_ERROR_PATH.strip("/") + "/", views.server_error),
    *site_urlpatterns,
]
