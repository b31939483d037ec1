"""The site's URLs plus views that fail on purpose, for the error-handling tests."""

from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path

from bibliotheque.urls import handler400, handler404, handler500
from bibliotheque.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]


def crash(request):
    raise RuntimeError("secret-detail-that-must-not-leak")


def database_down(request):
    raise OperationalError(
        'connection to server at "10.0.0.5", port 5432 failed: Connection refused'
    )


def touch_session(request):
    request.session["seen"] = True
    return HttpResponse("ok")


urlpatterns = [
    path("essai/plantage/", crash),
    path("essai/base-indisponible/", database_down),
    path("essai/session/", touch_session),
    *site_urlpatterns,
]
