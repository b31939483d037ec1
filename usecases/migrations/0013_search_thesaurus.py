"""Search: thesaurus, indexed vocabulary and, on SQLite, the FTS5 index.

The thesaurus is seeded with the public sector's AI vocabulary; moderators extend it in the
admin. The FTS5 table holds the stems of each case (usecases.search); this migration fills it
from the stored columns, and `manage.py refresh_search_index` rebuilds everything (places of the
collectivités included) from the cases themselves.
"""

from django.db import migrations, models

# Each line: expressions a search treats as equivalent.
THESAURUS = [
    # Acronyms
    "RH, ressources humaines, gestion du personnel",
    "DSI, direction des systèmes d’information, direction du numérique",
    "SI, système d’information",
    "GED, gestion électronique des documents, gestion documentaire, gestion électronique de documents",
    "OCR, reconnaissance optique de caractères, reconnaissance de caractères, "
    "reconnaissance d’écriture, reconnaissance de l’écriture",
    "RAG, génération augmentée par récupération, génération augmentée de récupération",
    "SIG, système d’information géographique, information géographique",
    "PLU, plan local d’urbanisme, PLUi, plan local d’urbanisme intercommunal",
    "CCAS, centre communal d’action sociale",
    "CIAS, centre intercommunal d’action sociale",
    "EPCI, intercommunalité, établissement public de coopération intercommunale",
    "RSA, revenu de solidarité active",
    "ASE, aide sociale à l’enfance, protection de l’enfance",
    "MDPH, maison départementale des personnes handicapées",
    "APA, allocation personnalisée d’autonomie",
    "EHPAD, établissement d’hébergement pour personnes âgées dépendantes",
    "IA, intelligence artificielle",
    "RGPD, règlement général sur la protection des données",
    "AIPD, analyse d’impact relative à la protection des données, analyse d’impact",
    "CNIL, Commission nationale de l’informatique et des libertés",
    "DGS, directeur général des services, direction générale des services",
    "IoT, internet des objets, objets connectés",
    "STEP, station d’épuration, stations d’épuration",
    "ETP, équivalent temps plein",
    "FALC, facile à lire et à comprendre, langage clair",
    "PCS, plan communal de sauvegarde",
    # Synonyms
    "IA générative, intelligence artificielle générative, LLM, grand modèle de langage, "
    "grands modèles de langage, modèle de langage, ChatGPT, GPT",
    "chatbot, agent conversationnel, assistant virtuel, robot conversationnel, "
    "assistant conversationnel, IA conversationnelle",
    "callbot, voicebot, agent vocal, assistant vocal, agent conversationnel vocal, "
    "standard téléphonique, accueil téléphonique, serveur vocal, SVI, serveur vocal interactif",
    "cantine, restauration scolaire, restaurant scolaire, cantine scolaire",
    "inondation, crue, crues",
    "végétalisation, îlots de chaleur, îlot de fraîcheur, canopée, plantation d’arbres",
    "ordures ménagères, déchets ménagers",
    "dépôts sauvages, décharges sauvages, dépôts illégaux",
    "compte rendu, procès-verbal, comptes rendus",
    "transcription, retranscription, reconnaissance vocale",
    "stationnement, parking, parkings",
    "photovoltaïque, panneaux solaires, énergie solaire",
    "cybersécurité, sécurité informatique",
    "souveraineté numérique, cloud souverain",
    "formation des agents, acculturation, montée en compétences",
    "vision par ordinateur, analyse d’images, reconnaissance d’images, analyse vidéo",
    "maintenance prédictive, prévision des pannes",
    "assainissement, eaux usées",
    "vidéoprotection, vidéosurveillance",
    "consommation d’énergie, consommation énergétique",
    "délibération, délibérations, actes administratifs",
    "signalement, signalements, réclamation",
]

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS usecases_fts USING fts5("
    "title, keywords, body, tokenize = 'ascii')"
)


def seed_thesaurus(apps, schema_editor):
    ThesaurusEntry = apps.get_model("usecases", "ThesaurusEntry")
    for line in THESAURUS:
        ThesaurusEntry.objects.get_or_create(expressions=line)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = Group.objects.filter(name="Modérateurs").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="usecases",
                codename__in=[
                    "view_thesaurusentry",
                    "add_thesaurusentry",
                    "change_thesaurusentry",
                    "delete_thesaurusentry",
                ],
            )
        )


def unseed_thesaurus(apps, schema_editor):
    apps.get_model("usecases", "ThesaurusEntry").objects.filter(expressions__in=THESAURUS).delete()


def create_index(apps, schema_editor):
    from usecases import search

    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FTS)
        search.rebuild_fts()
    UseCase = apps.get_model("usecases", "UseCase")
    search.add_vocabulary(
        (" ".join(row) for row in UseCase.objects.values_list(
            "title", "summary", "search_keywords", "search_text")),
        model=apps.get_model("usecases", "SearchWord"),
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS usecases_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("usecases", "0012_optional_facts_saas_hosting_figure_unit"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=60, unique=True)),
                ("length", models.PositiveSmallIntegerField(db_index=True)),
            ],
            options={"verbose_name": "mot indexé", "verbose_name_plural": "mots indexés"},
        ),
        migrations.CreateModel(
            name="ThesaurusEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "expressions",
                    models.TextField(
                        help_text="Séparées par des virgules ou une par ligne, par exemple : « chatbot, agent conversationnel, assistant virtuel ».",
                        verbose_name="expressions équivalentes",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifié le")),
            ],
            options={
                "verbose_name": "entrée du thésaurus",
                "verbose_name_plural": "thésaurus de la recherche",
                "ordering": ["expressions"],
            },
        ),
        migrations.RunPython(seed_thesaurus, unseed_thesaurus),
        migrations.RunPython(create_index, drop_index),
    ]
