"""A password validator for the words of this very site, the first ones an attacker tries."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bibliotheque.text import normalize

SITE_WORDS = ("bibliotheque", "territorial", "collectivite", "interconnectes", "motdepasse")


class SiteWordsValidator:
    def validate(self, password, user=None):
        folded = normalize(password).replace(" ", "")
        remainder = folded
        for word in SITE_WORDS:
            remainder = remainder.replace(word, "")
        # Refused when the site's words make up most of it, e.g. « bibliotheque-ia ».
        if remainder != folded and len(remainder) < 8:
            raise ValidationError(
                _("Ce mot de passe reprend le nom du site : choisissez-en un autre."),
                code="password_site_words",
            )

    def get_help_text(self):
        return _("Votre mot de passe ne peut pas reprendre le nom du site.")
