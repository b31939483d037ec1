from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Actualisation des fiches")
    default_auto_field = "django.db.models.BigAutoField"
