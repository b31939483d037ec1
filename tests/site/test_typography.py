"""French typography at render time (bibliotheque.typography and the `typo` filter)."""

import pytest
from django.core import mail
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

from bibliotheque.typography import NBSP, NNBSP, french, french_html, french_text
from tests.factories import UseCaseFactory
from usecases.models import ErrorReport, KeyFigure


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Punctuation: narrow no-break space before ; ! ? and a no-break space before :
        (
            "Pourquoi ? Parce que ! Voilà ; fin",
            f"Pourquoi{NNBSP}? Parce que{NNBSP}! Voilà{NNBSP}; fin",
        ),
        ("Vraiment? Oui!", f"Vraiment{NNBSP}? Oui{NNBSP}!"),
        ("Résultats : 12 fuites", f"Résultats{NBSP}: 12 fuites"),
        ("Note: la suite", f"Note{NBSP}: la suite"),
        ("Quoi ?!", f"Quoi{NNBSP}?!"),
        # Guillemets
        ("le « callbot »", f"le «{NNBSP}callbot{NNBSP}»"),
        ("le «callbot»", f"le «{NNBSP}callbot{NNBSP}»"),
        # Numbers, percentages, currencies and units
        ("7 800 demandes", f"7{NBSP}800 demandes"),
        ("1 000 000 €", f"1{NBSP}000{NBSP}000{NBSP}€"),
        ("100% des cas", f"100{NBSP}% des cas"),
        ("−40 %", f"−40{NBSP}%"),
        ("4,99 M€", f"4,99{NBSP}M€"),
        ("5 860 km de routes", f"5{NBSP}860{NBSP}km de routes"),
        ("110 000 m³ par an", f"110{NBSP}000{NBSP}m³ par an"),
        # Left alone: times, ratios, years side by side, words that start like a unit
        ("à 10:30 et 12h30", "à 10:30 et 12h30"),
        ("ratio 1:2", "ratio 1:2"),
        ("en 2025 300 agents", "en 2025 300 agents"),
        ("5 mois, 3 tonnes", "5 mois, 3 tonnes"),
        # Left alone: addresses and code
        ("https://exemple.fr/a?b=1;c=2:3!", "https://exemple.fr/a?b=1;c=2:3!"),
        ("voir www.exemple.fr/?q=1 ici", "voir www.exemple.fr/?q=1 ici"),
        ("écrire à eau@agglo.fr", "écrire à eau@agglo.fr"),
        ("la commande `a ; b: c ?`", "la commande `a ; b: c ?`"),
    ],
)
def test_french_text(typed, expected):
    assert french_text(typed) == expected


def test_already_correct_text_is_unchanged():
    correct = f"Pourquoi{NNBSP}? «{NNBSP}7{NBSP}800{NBSP}€{NNBSP}»{NNBSP}; ensuite{NBSP}: fin."
    assert french_text(correct) == correct
    typed = "Rien qu’à Marseille : 7 800 demandes ; « pourquoi » ? 12 %"
    once = french_text(typed)
    assert french_text(once) == once


def test_plain_text_stays_plain_and_is_escaped_by_the_template():
    """The filter never marks user text safe: HTML in it is escaped as before."""
    typed = "<script>alert('x')</script> Vraiment ? a & b"
    assert not isinstance(french(typed), SafeData)
    html = Template("{{ text|typo }}").render(Context({"text": typed}))
    assert "<script>" not in html
    assert html == escape(f"<script>alert('x')</script> Vraiment{NNBSP}? a & b")


def test_safe_html_keeps_its_markup_and_verbatim_elements():
    """In safe HTML only text changes: tags, attributes, entities and <code> stay as they are."""
    fragment = mark_safe(
        '<a href="https://x.fr/?a=1;b=2" title="a ?">Quoi ?</a> &amp; <code>x ; y</code>'
        " <mark>fuites</mark> : oui"
    )
    result = Template("{{ text|typo }}").render(Context({"text": fragment}))
    assert result == (
        f'<a href="https://x.fr/?a=1;b=2" title="a ?">Quoi{NNBSP}?</a> &amp; <code>x ; y</code>'
        f" <mark>fuites</mark>{NBSP}: oui"
    )
    assert french_html("&nbsp;; &#8239;!") == "&nbsp;; &#8239;!"


def test_filter_is_available_in_every_template_and_empty_values_pass():
    template = Template("{{ text|typo|default:'Non renseigné' }}")
    assert template.render(Context({"text": ""})) == "Non renseigné"
    assert template.render(Context({"text": None})) == "Non renseigné"


@pytest.mark.django_db
def test_sheet_card_and_feed_show_typography_but_exports_keep_the_text(client):
    """Pages and feeds get the spaces; the CSV export and the API keep what was typed."""
    use_case = UseCaseFactory(
        published=True,
        title="Répondre aux habitants : pourquoi ?",
        summary="Rien qu’à Marseille, 7 800 demandes par mois ; le « callbot » répond.",
        tags=["IA générative"],
    )
    KeyFigure.objects.create(use_case=use_case, value="7 800", unit="demandes", label="par mois")
    sheet = client.get(use_case.get_absolute_url()).content.decode()
    assert f"Répondre aux habitants{NBSP}: pourquoi{NNBSP}?" in sheet
    assert f"7{NBSP}800 demandes par mois{NNBSP}; le «{NNBSP}callbot{NNBSP}» répond." in sheet
    assert f"<strong>7{NBSP}800 demandes</strong>" in sheet
    assert ">IA générative</a>" in sheet
    listing = client.get("/cas-d-usage/").content.decode()
    assert f"Répondre aux habitants{NBSP}: pourquoi{NNBSP}?" in listing
    feed = client.get("/flux.xml").content.decode()
    assert f"Répondre aux habitants{NBSP}: pourquoi{NNBSP}?" in feed
    export = b"".join(client.get("/donnees/cas-d-usage.csv").streaming_content).decode()
    assert "Répondre aux habitants : pourquoi ?" in export
    assert NNBSP not in export and NBSP not in export
    api = client.get(f"/api/v1/cas-d-usage/{use_case.slug}/").json()
    assert api["title"] == "Répondre aux habitants : pourquoi ?"


@pytest.mark.django_db
def test_emails_get_typography():
    use_case = UseCaseFactory(published=True, title="Prévoir les crues : comment ?")
    report = ErrorReport(use_case=use_case, message="Le chiffre est faux : 7 800 ?")
    context = {
        "use_case": use_case,
        "report": report,
        "url": "https://exemple.fr/admin/",
        "sheet_url": "https://exemple.fr/cas-d-usage/prevoir-les-crues/",
    }
    body = render_to_string("emails/error_report.txt", context)
    subject = render_to_string("emails/error_report_subject.txt", context)
    assert f"Prévoir les crues{NBSP}: comment{NNBSP}?" in body
    assert f"Le chiffre est faux{NBSP}: 7{NBSP}800{NNBSP}?" in body
    assert f"comment{NNBSP}?" in subject
    assert not mail.outbox
