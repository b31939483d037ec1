"""The six themes, the AI technique vocabulary and, on PostgreSQL, the French search setup."""

from django.db import migrations

THEMES = [
    (
        "transition-ecologique-et-energetique",
        "Transition écologique et énergétique",
        "Eau, énergie, déchets, bâtiments, biodiversité et risques naturels.",
    ),
    (
        "attractivite-et-amenagement",
        "Attractivité et aménagement",
        "Urbanisme, espaces publics, végétalisation, développement économique et tourisme.",
    ),
    (
        "citoyennete-sante-et-solidarite",
        "Citoyenneté, santé et solidarité",
        "Relation aux habitants, démocratie locale, action sociale, santé et éducation.",
    ),
    (
        "mobilites",
        "Mobilités",
        "Transports publics, circulation, stationnement, voirie et mobilités actives.",
    ),
    (
        "gouvernance-et-socles-technologiques",
        "Gouvernance et socles technologiques",
        "Stratégies et chartes de l’IA, infrastructures, données et mutualisation.",
    ),
    (
        "administration-et-organisation-interne",
        "Administration et organisation interne",
        "Ressources humaines, actes administratifs, courrier, comptes rendus et outils des agents.",
    ),
]

TECHNIQUES = [
    ("apprentissage-automatique", "Prédiction / apprentissage automatique"),
    ("vision-par-ordinateur", "Vision par ordinateur"),
    ("traitement-du-langage", "Traitement du langage"),
    ("ia-generative", "IA générative"),
    ("agent-conversationnel", "Agent conversationnel"),
    ("audio-et-voix", "Audio et voix"),
    ("optimisation", "Optimisation et planification"),
    ("systeme-a-base-de-regles", "Système à base de règles"),
]

POSTGRES_SETUP = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""


def create_reference_data(apps, schema_editor):
    Theme = apps.get_model("usecases", "Theme")
    Technique = apps.get_model("usecases", "Technique")
    for position, (slug, name, description) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for position, (slug, name) in enumerate(TECHNIQUES, start=1):
        Technique.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


def setup_postgres_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_SETUP)


class Migration(migrations.Migration):
    dependencies = [("usecases", "0001_initial")]

    operations = [
        migrations.RunPython(setup_postgres_search, migrations.RunPython.noop),
        migrations.RunPython(create_reference_data, migrations.RunPython.noop),
    ]
