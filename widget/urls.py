from django.urls import path

from . import views

app_name = "widget"

urlpatterns = [
    path("integrer/", views.builder, name="builder"),
    path("integrer/liste/", views.embed, name="embed"),
]
