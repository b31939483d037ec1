from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("En revue")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    PUBLISHED = "published", _("Publié")
    REJECTED = "rejected", _("Refusé")
    ARCHIVED = "archived", _("Archivé")


# States in which a contributor may still edit a case or a proposed update.
EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)
# States of a proposed update that is not yet decided: a case has at most one such update.
OPEN_REVISION_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED)


class Stage(models.TextChoices):
    IDEA = "idea", _("Idée")
    EXPERIMENT = "experiment", _("Expérimentation")
    DEPLOYMENT = "deployment", _("Déploiement")
    GENERALISED = "generalised", _("Généralisé")
    STOPPED = "stopped", _("Arrêté")


class Hosting(models.TextChoices):
    ON_PREMISE = "on_premise", _("Sur site (serveurs de la collectivité)")
    SOVEREIGN_CLOUD = "sovereign_cloud", _("Cloud souverain en France")
    EU_CLOUD = "eu_cloud", _("Cloud dans l’Union européenne")
    NON_EU_CLOUD = "non_eu_cloud", _("Cloud hors Union européenne")
    SAAS = "saas", _("Service en ligne de l’éditeur (SaaS)")
    UNKNOWN = "unknown", _("Non renseigné")


class DataInEU(models.TextChoices):
    """For a vendor's online service: does the data stay in the European Union?"""

    UNKNOWN = "", _("Non renseigné")
    YES = "yes", _("Oui")
    NO = "no", _("Non")


class BuildMode(models.TextChoices):
    IN_HOUSE = "in_house", _("En interne")
    OPEN_SOURCE = "open_source", _("Logiciel libre")
    VENDOR = "vendor", _("Prestataire")


class CostRange(models.TextChoices):
    UNKNOWN = "", _("Non communiqué")
    UNDER_10K = "lt_10k", _("Moins de 10 k€")
    FROM_10K_TO_50K = "10k_50k", _("De 10 à 50 k€")
    FROM_50K_TO_200K = "50k_200k", _("De 50 à 200 k€")
    FROM_200K_TO_1M = "200k_1m", _("De 200 k€ à 1 M€")
    OVER_1M = "gt_1m", _("Plus de 1 M€")


class HumanOversight(models.TextChoices):
    UNKNOWN = "", _("Non renseigné")
    HUMAN_DECIDES = "human_decides", _("Décision toujours humaine (l’IA est une aide)")
    EACH_OUTPUT_VALIDATED = "each_output", _("Validation humaine de chaque sortie")
    SAMPLING = "sampling", _("Contrôle par échantillonnage ou a posteriori")
    AUTOMATIC = "automatic", _("Fonctionnement automatique sans revue")


class PersonalData(models.TextChoices):
    UNKNOWN = "", _("Non renseigné")
    NONE = "none", _("Aucune donnée personnelle")
    YES = "yes", _("Données personnelles")
    SENSITIVE = "sensitive", _("Données sensibles (article 9 du RGPD)")


class ImpactAssessment(models.TextChoices):
    UNKNOWN = "", _("Non renseigné")
    DONE = "done", _("Réalisée")
    IN_PROGRESS = "in_progress", _("En cours")
    NOT_REQUIRED = "not_required", _("Non requise")
    NOT_DONE = "not_done", _("Non réalisée")


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "", _("Non évalué")
    MINIMAL = "minimal", _("Risque minimal")
    TRANSPARENCY = "transparency", _("Obligation de transparence (article 50)")
    HIGH = "high", _("Haut risque (annexe III)")
    PROHIBITED = "prohibited", _("Pratique interdite")


class ResourceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    VIDEO = "video", _("Vidéo")
    SOURCE_CODE = "source_code", _("Code source")
    DATASET = "dataset", _("Jeu de données")
    ARTICLE = "article", _("Article")
    TENDER = "tender", _("Marché public / cahier des charges")
    DELIBERATION = "deliberation", _("Délibération")


class ReportState(models.TextChoices):
    """Where an error report stands: « nouveau » until someone takes it, then « en cours »."""

    NEW = "new", _("Nouveau")
    IN_PROGRESS = "in_progress", _("En cours")
    HANDLED = "handled", _("Traité")
