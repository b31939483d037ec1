from django.db import models
from django.utils.translation import gettext_lazy as _


class SolutionKind(models.TextChoices):
    PRODUCT = "product", _("Produit d’un éditeur")
    OPEN_SOURCE = "open_source", _("Logiciel libre")
    IN_HOUSE = "in_house", _("Développement interne")


class ProviderLocation(models.TextChoices):
    """Where the publisher of a solution is established (the dependency observatory)."""

    FRANCE = "france", _("France")
    EU = "eu", _("Union européenne (hors France)")
    OUTSIDE_EU = "outside_eu", _("Hors Union européenne")
    UNKNOWN = "unknown", _("Non renseigné")


class ModelFamily(models.TextChoices):
    """The family of AI model a solution relies on, when it says so."""

    NONE = "", _("Non renseigné")
    OPENAI = "openai_gpt", _("GPT (OpenAI)")
    MISTRAL = "mistral", _("Mistral AI")
    LLAMA = "llama", _("Llama (Meta)")
    GOOGLE = "gemini", _("Gemini (Google)")
    ANTHROPIC = "claude", _("Claude (Anthropic)")
    SEVERAL = "several", _("Plusieurs modèles au choix")
    OWN = "own", _("Modèle propre de l’éditeur ou de la collectivité")


class ReuseKind(models.TextChoices):
    """What a collectivité says about a case another one leads."""

    ADOPTED = "adopted", _("Nous l’avons aussi mis en place")
    CONSIDERING = "considering", _("Nous l’envisageons")
    STOPPED = "stopped", _("Nous l’avons testé puis arrêté")


# Headings of the groups on a sheet, in display order.
REUSE_GROUP_TITLES = {
    ReuseKind.ADOPTED: _("Aussi mis en place par"),
    ReuseKind.CONSIDERING: _("Envisagé par"),
    ReuseKind.STOPPED: _("Testé puis arrêté par"),
}


class ContactRecipient(models.TextChoices):
    CONTRIBUTOR = "contributor", _("Contributeur de la fiche")
    MODERATORS = "moderators", _("Modération (le compte du contributeur n’existe plus)")
