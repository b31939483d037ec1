"""The data the search reads besides the cases: the thesaurus and the indexed vocabulary.

Exported by usecases.models with the other models of the app.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..analysis import words


class ThesaurusEntry(models.Model):
    """A group of expressions meaning the same thing to a search (acronyms and synonyms).

    A search for any of them finds the cases that use any other: « RH » finds « ressources
    humaines », « cantine » finds « restauration scolaire ». Moderators extend it in the admin;
    a data migration seeds it.
    """

    expressions = models.TextField(
        _("expressions équivalentes"),
        help_text=_(
            "Séparées par des virgules ou une par ligne, par exemple : "
            "« chatbot, agent conversationnel, assistant virtuel »."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("entrée du thésaurus")
        verbose_name_plural = _("thésaurus de la recherche")
        ordering = ["expressions"]

    def __str__(self):
        return ", ".join(self.expression_list())

    def expression_list(self):
        parts = self.expressions.replace("\n", ",").replace(";", ",").split(",")
        return [part.strip() for part in parts if part.strip()]

    def clean(self):
        expressions = self.expression_list()
        if len(expressions) < 2:
            raise ValidationError(
                {"expressions": _("Indiquez au moins deux expressions équivalentes.")}
            )
        for expression in expressions:
            if not words(expression):
                raise ValidationError(
                    {"expressions": _("« %(text)s » ne contient aucun mot.") % {"text": expression}}
                )


class SearchWord(models.Model):
    """A word of the indexed cases, unaccented and lower-cased: what a misspelt word is
    corrected to (« inondaiton » → « inondation »). Grows with the index, never shrinks: a
    correction is used only when it finds published cases."""

    word = models.CharField(max_length=60, unique=True)
    length = models.PositiveSmallIntegerField(db_index=True)

    class Meta:
        verbose_name = _("mot indexé")
        verbose_name_plural = _("mots indexés")

    def __str__(self):
        return self.word
