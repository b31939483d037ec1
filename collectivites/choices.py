from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    CC = "cc", _("Communauté de communes")
    CA = "ca", _("Communauté d’agglomération")
    CU = "cu", _("Communauté urbaine")
    METROPOLE = "metropole", _("Métropole")
    EPT = "ept", _("Établissement public territorial")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    STATUT_PARTICULIER = "statut_particulier", _("Collectivité à statut particulier")
    OTHER = "autre", _("Autre organisme public")

    @classmethod
    def epci_kinds(cls):
        return [cls.CC, cls.CA, cls.CU, cls.METROPOLE]
