from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alertes/", views.subscribe, name="subscribe"),
    path("alertes/demande-envoyee/", views.requested, name="requested"),
    path("alertes/confirmer/<str:key>/", views.confirm, name="confirm"),
    path("alertes/gerer/<str:key>/", views.manage, name="manage"),
    path("alertes/desabonnement/<str:key>/", views.unsubscribe, name="unsubscribe"),
    path("compte/alertes/", views.my_alerts, name="mine"),
]
