"""A realistic catalogue for the browser tests and for bin/measure-pages.py.

45 published cases spread over the six themes, every stage and technique, 28 real collectivités
of every kind (taken from the shipped referential, with their régions and départements), long
titles, tags, key figures, and one complete sheet with five resources. Deterministic: the same
slugs and counts every time, so page measurements can be compared from one run to the next.
"""

import functools
import importlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from bibliotheque.text import normalize
from collectivites import referential
from collectivites.models import Collectivite, Departement, Region
from usecases.choices import (
    BuildMode,
    CostRange,
    Hosting,
    HumanOversight,
    ImpactAssessment,
    PersonalData,
    RiskLevel,
    Stage,
    Status,
)
from usecases.models import KeyFigure, Resource, Technique, Theme, UseCase

REFERENCE_DATA = importlib.import_module("usecases.migrations.0002_reference_data")

# (kind, official code) of the real collectivités used, from fixtures/collectivites-2026.json.gz.
COLLECTIVITES = [
    ("commune", "35238"),
    ("commune", "44109"),
    ("commune", "34172"),
    ("commune", "28085"),
    ("commune", "30189"),
    ("commune", "2A004"),
    ("commune", "18033"),
    ("commune", "93066"),
    ("commune", "56260"),
    ("commune", "67482"),
    ("commune", "59350"),
    ("commune", "64445"),
    ("commune", "75056"),
    ("commune", "13055"),
    ("commune", "31555"),
    ("metropole", "243500139"),
    ("metropole", "243300316"),
    ("metropole", "243400017"),
    ("metropole", "200054807"),
    ("statut_particulier", "69M"),
    ("statut_particulier", "20R"),
    ("ca", "243100633"),
    ("ca", "243800604"),
    ("departement", "38"),
    ("departement", "21"),
    ("departement", "33"),
    ("region", "11"),
    ("region", "53"),
]

# (title, theme, techniques, tags): fifteen kinds of project, each run by three collectivités.
PROJECTS = [
    (
        "Détecter les fuites du réseau d’eau potable grâce à l’analyse des données de "
        "télérelève des compteurs communicants",
        "transition-ecologique-et-energetique",
        ["apprentissage-automatique"],
        ["eau", "réseaux", "compteurs"],
    ),
    (
        "Piloter le chauffage des écoles et des gymnases à partir des prévisions de "
        "fréquentation et de la météo locale",
        "transition-ecologique-et-energetique",
        ["apprentissage-automatique", "optimisation"],
        ["énergie", "bâtiments", "écoles"],
    ),
    (
        "Repérer les dépôts sauvages de déchets sur la voie publique à partir des photos "
        "prises par les agents de propreté",
        "transition-ecologique-et-energetique",
        ["vision-par-ordinateur"],
        ["déchets", "propreté"],
    ),
    (
        "Cartographier les îlots de chaleur urbains et la canopée pour choisir les rues à "
        "végétaliser en priorité",
        "attractivite-et-amenagement",
        ["vision-par-ordinateur", "apprentissage-automatique"],
        ["végétalisation", "urbanisme", "climat"],
    ),
    (
        "Aider l’instruction des autorisations d’urbanisme en vérifiant la complétude des "
        "dossiers déposés en ligne",
        "attractivite-et-amenagement",
        ["traitement-du-langage"],
        ["urbanisme", "permis de construire"],
    ),
    (
        "Répondre jour et nuit aux questions des habitants sur les démarches grâce à un agent "
        "conversationnel relu par les agents d’accueil",
        "citoyennete-sante-et-solidarite",
        ["agent-conversationnel", "ia-generative"],
        ["relation usagers", "accueil"],
    ),
    (
        "Prioriser les visites à domicile des personnes âgées isolées pendant les épisodes "
        "de canicule",
        "citoyennete-sante-et-solidarite",
        ["apprentissage-automatique"],
        ["solidarité", "canicule", "seniors"],
    ),
    (
        "Transcrire et sous-titrer automatiquement les séances du conseil municipal diffusées "
        "en direct",
        "citoyennete-sante-et-solidarite",
        ["audio-et-voix"],
        ["démocratie locale", "accessibilité"],
    ),
    (
        "Prévoir la fréquentation des lignes de bus pour ajuster l’offre de transport les "
        "jours de grand événement",
        "mobilites",
        ["apprentissage-automatique"],
        ["transports", "bus"],
    ),
    (
        "Compter les vélos et les piétons aux carrefours avec des capteurs optiques qui ne "
        "conservent aucune image",
        "mobilites",
        ["vision-par-ordinateur"],
        ["vélo", "mobilités actives"],
    ),
    (
        "Optimiser les tournées de collecte et de déneigement en tenant compte du trafic et "
        "des contraintes des équipes",
        "mobilites",
        ["optimisation"],
        ["tournées", "voirie"],
    ),
    (
        "Adopter une charte de l’intelligence artificielle et un registre public des "
        "algorithmes de la collectivité",
        "gouvernance-et-socles-technologiques",
        ["systeme-a-base-de-regles"],
        ["éthique", "transparence", "registre"],
    ),
    (
        "Mutualiser un modèle de langage hébergé en France entre les communes d’un même territoire",
        "gouvernance-et-socles-technologiques",
        ["ia-generative"],
        ["mutualisation", "souveraineté"],
    ),
    (
        "Rédiger les comptes rendus des réunions internes à partir de l’enregistrement, avec "
        "relecture systématique",
        "administration-et-organisation-interne",
        ["ia-generative", "audio-et-voix"],
        ["comptes rendus", "agents"],
    ),
    (
        "Trier et orienter le courrier entrant vers le bon service grâce à la lecture "
        "automatique des documents",
        "administration-et-organisation-interne",
        ["traitement-du-langage"],
        ["courrier", "dématérialisation"],
    ),
]

SUMMARY = (
    "{name} a lancé ce projet pour répondre à un besoin concret de ses services. L’outil "
    "aide les agents, qui gardent la décision ; les résultats, les coûts et les limites "
    "sont documentés pour que d’autres collectivités puissent s’en inspirer."
)
NEED = (
    "Les équipes passaient beaucoup de temps sur une tâche répétitive, avec des retards "
    "pour les habitants.\n\nLa collectivité voulait savoir si une aide automatique pouvait "
    "améliorer le service sans dégrader la qualité ni les conditions de travail."
)
SOLUTION = (
    "Un modèle entraîné sur les données du service propose un résultat que l’agent valide, "
    "corrige ou écarte.\n\nLes corrections servent à mesurer la qualité chaque mois ; "
    "le modèle n’est réentraîné que si la qualité baisse."
)
STAGES = [Stage.EXPERIMENT, Stage.DEPLOYMENT, Stage.GENERALISED, Stage.IDEA, Stage.STOPPED]
HOSTINGS = [Hosting.SOVEREIGN_CLOUD, Hosting.ON_PREMISE, Hosting.EU_CLOUD, Hosting.UNKNOWN]
BUILD_MODES = [BuildMode.VENDOR, BuildMode.OPEN_SOURCE, BuildMode.IN_HOUSE]

SHOWCASE_SLUG = "detecter-les-fuites-du-reseau-d-eau-potable-rennes-metropole"
SHOWCASE_RESOURCES = [
    (
        "Cahier des clauses techniques particulières du marché d’analyse des données de télérelève",
        "tender",
        "https://marches.example.org/consultation/2024-eau-potable-telereleve/"
        "cahier-des-clauses-techniques-particulieres-version-definitive.pdf",
    ),
    (
        "Délibération du conseil métropolitain autorisant l’expérimentation",
        "deliberation",
        "https://deliberations.example.org/conseil/2024/06/27/eau-potable",
    ),
    ("Code source du connecteur de télérelève", "source_code", "https://code.example.org/eau"),
    ("Jeu de données des index de consommation", "dataset", "https://data.example.org/eau"),
    ("Présentation au forum des collectivités (vidéo)", "video", "https://video.example.org/1"),
]


@dataclass(frozen=True)
class Catalogue:
    """Identifiers of the objects the tests visit."""

    showcase_slug: str
    theme_slug: str
    collectivite_slug: str
    published_count: int
    # A collectivité leading no case, of the size of one that leads some (its page shows them).
    quiet_collectivite_slug: str = ""
    # Links of e-mail alerts (alerts app): a confirmed one and one awaiting confirmation.
    alert_key: str = ""
    pending_alert_key: str = ""
    solution_slug: str = ""
    compare_query: str = ""  # cas=…&cas=…&cas=… for /comparer/


def load_reference_data():
    """Themes and techniques as the data migration creates them (a flush removes them)."""
    for position, (slug, name, description) in enumerate(REFERENCE_DATA.THEMES, start=1):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for position, (slug, name) in enumerate(REFERENCE_DATA.TECHNIQUES, start=1):
        Technique.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


@functools.cache
def referential_records():
    """The shipped referential, parsed once per process (36,000 rows)."""
    return referential.read_fixture(settings.BASE_DIR / "fixtures" / "collectivites-2026.json.gz")


def load_collectivites():
    """Every région and département, and the real collectivités listed above."""
    records = referential_records()
    Region.objects.bulk_create(
        [Region(code=row["code"], name=row["name"]) for row in records["regions"]],
        ignore_conflicts=True,
    )
    regions = dict(Region.objects.values_list("code", "pk"))
    Departement.objects.bulk_create(
        [
            Departement(code=row["code"], name=row["name"], region_id=regions[row["region"]])
            for row in records["departements"]
        ],
        ignore_conflicts=True,
    )
    departements = dict(Departement.objects.values_list("code", "pk"))
    wanted = set(COLLECTIVITES)
    rows = [row for row in records["collectivites"] if (row["kind"], row["code"]) in wanted]
    created = {}
    for row in rows:
        created[row["code"]], _ = Collectivite.objects.get_or_create(
            kind=row["kind"],
            code=row["code"],
            defaults={
                "name": row["name"],
                "slug": row["slug"],
                "siren": row["siren"] or "",
                "departement_id": departements.get(row["departement"]),
                "region_id": regions.get(row["region"]),
                "population": row["population"],
                "search_name": normalize(row["name"]),
            },
        )
    for row in rows:
        if row["epci"] in created:
            Collectivite.objects.filter(pk=created[row["code"]].pk).update(
                epci=created[row["epci"]]
            )
    return [created[code] for _kind, code in COLLECTIVITES if code in created]


def build_catalogue():
    """Create the whole catalogue; returns what the tests need to find their pages."""
    load_reference_data()
    collectivites = load_collectivites()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    techniques = {technique.slug: technique for technique in Technique.objects.all()}
    now = timezone.now()
    index = 0
    for project, (title, theme_slug, technique_slugs, tags) in enumerate(PROJECTS):
        for variant in range(3):
            collectivite = collectivites[(project * 3 + variant * 7) % len(collectivites)]
            use_case = UseCase.objects.create(
                title=title,
                slug=f"{slugify_title(title)}-{collectivite.slug}"[:170],
                summary=SUMMARY.format(name=collectivite.name)[:300],
                collectivite=collectivite,
                theme=themes[theme_slug],
                need=NEED,
                solution=SOLUTION,
                data_used="Données internes du service, sans donnée personnelle.",
                stage=STAGES[index % len(STAGES)],
                start_year=2019 + index % 7,
                end_year=2025 if STAGES[index % len(STAGES)] == Stage.STOPPED else None,
                build_mode=BUILD_MODES[index % len(BUILD_MODES)],
                hosting=HOSTINGS[index % len(HOSTINGS)],
                cost_range=CostRange.FROM_10K_TO_50K if index % 2 else CostRange.UNKNOWN,
                results="Le temps de traitement a baissé et les agents jugent l’outil utile."
                if index % 3
                else "",
                status=Status.PUBLISHED,
                published_at=now - timedelta(days=9 * index),
            )
            use_case.techniques.set([techniques[slug] for slug in technique_slugs])
            use_case.tags.set(tags)
            if index % 4 == 0:
                KeyFigure.objects.create(
                    use_case=use_case, value=f"{12 + index} %", label="de temps gagné par dossier"
                )
            index += 1
    showcase = make_showcase(collectivites, themes, techniques)
    UseCase.objects.all().refresh_search_index()
    alert, pending = make_alerts(now)
    quiet = Collectivite.objects.create(
        kind="commune",
        name="Saint-Calme",
        slug="saint-calme",
        code="99999",
        departement=collectivites[0].departement,
        region=collectivites[0].region,
        population=collectivites[0].population,
    )
    solution, compared = make_mutualisation(showcase, collectivites)
    return Catalogue(
        showcase_slug=showcase.slug,
        theme_slug="mobilites",
        collectivite_slug=showcase.collectivite.slug,
        quiet_collectivite_slug=quiet.slug,
        published_count=UseCase.objects.published().count(),
        alert_key=alert.key,
        pending_alert_key=pending.key,
        solution_slug=solution.slug,
        compare_query="&".join(f"cas={case.slug}" for case in compared),
    )


def make_alerts(now):
    """Two alerts of one address: one confirmed, one awaiting its confirmation."""
    from alerts.models import Subscription

    alert = Subscription.objects.create(
        email="veille@example.org", criteria="q=fuites&theme=mobilites", confirmed_at=now
    )
    pending = Subscription.objects.create(
        email="veille@example.org", criteria="theme=transition-ecologique-et-energetique"
    )
    return alert, pending


def make_mutualisation(showcase, collectivites):
    """A solution named by the showcase and two other cases, and reuse declarations of it."""
    from usecases.mutualisation.models import ReuseDeclaration, Solution

    others = list(UseCase.objects.published().exclude(pk=showcase.pk).order_by("pk")[:2])
    solution, _created = Solution.objects.update_or_create(
        slug="detecteur-de-fuites",
        defaults={
            "name": "Détecteur de fuites",
            "kind": "open_source",
            "publisher": "Communauté des régies",
            "publisher_location": "france",
            "licence": "EUPL 1.2",
            "source_code_url": "https://code.example.org/eau",
            "description": "Détection d’anomalies sur les index des compteurs communicants.",
        },
    )
    solution.use_cases.set([showcase, *others])
    by_code = {c.code: c for c in collectivites}
    for kind, code in [("adopted", "44109"), ("adopted", "31555"), ("considering", "38")]:
        collectivite = by_code[code]
        ReuseDeclaration.objects.update_or_create(
            use_case=showcase,
            collectivite=collectivite,
            defaults={"kind": kind, "year": 2025, "solution": solution, "note": "Même outil."},
        )
    return solution, [showcase, *others]


def slugify_title(title):
    return slugify(title)[:90].rstrip("-")


def make_showcase(collectivites, themes, techniques):
    """The complete sheet: every transparency field, partners, figures and five resources."""
    by_code = {c.code: c for c in collectivites}
    use_case = UseCase.objects.filter(slug=SHOWCASE_SLUG).first() or UseCase.objects.create(
        title=PROJECTS[0][0],
        slug=SHOWCASE_SLUG,
        summary=(
            "Rennes Métropole croise les index des compteurs communicants et les débits du "
            "réseau pour repérer les fuites en quelques jours au lieu de plusieurs mois, et "
            "envoie les équipes au bon endroit."
        ),
        collectivite=by_code["243500139"],
        theme=themes["transition-ecologique-et-energetique"],
        need=NEED,
        solution=SOLUTION,
        data_used="Index horaires des compteurs, débits des secteurs, historique des réparations.",
        model_used="Modèle de détection d’anomalies sur séries temporelles (forêt d’isolement)",
        stage=Stage.DEPLOYMENT,
        start_year=2023,
        results="Les fuites sont repérées en moyenne en 4 jours au lieu de 3 mois.",
        build_mode=BuildMode.OPEN_SOURCE,
        vendor="Régie des eaux",
        source_code_url="https://code.example.org/eau",
        cost_range=CostRange.FROM_50K_TO_200K,
        funding="Budget annexe de l’eau ; aide de l’agence de l’eau.",
        hosting=Hosting.SOVEREIGN_CLOUD,
        human_oversight=HumanOversight.HUMAN_DECIDES,
        human_oversight_details="Chaque alerte est vérifiée par un technicien avant intervention.",
        personal_data=PersonalData.YES,
        impact_assessment=ImpactAssessment.DONE,
        ai_act_risk=RiskLevel.MINIMAL,
        environmental_footprint="Calcul nocturne sur un seul serveur, sans carte graphique.",
        lessons_learned="Associer les fontainiers dès le début ; vérifier la qualité des index.",
        contact_role="Direction de l’eau",
        contact_email="eau@example.org",
        contact_is_public=True,
        public_url="https://metropole.example.org/eau",
        status=Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=2),
    )
    use_case.partners.set([by_code["35238"], by_code["53"]])
    use_case.techniques.set([techniques["apprentissage-automatique"]])
    use_case.tags.set(["eau", "réseaux", "compteurs", "fuites"])
    for position, (value, label) in enumerate(
        [("4 jours", "pour repérer une fuite, contre 3 mois"), ("-12 %", "de pertes en eau")]
    ):
        KeyFigure.objects.create(use_case=use_case, value=value, label=label, position=position)
    for position, (title, kind, url) in enumerate(SHOWCASE_RESOURCES):
        Resource.objects.create(
            use_case=use_case,
            title=title,
            kind=kind,
            url=url,
            description="Document public de la collectivité.",
            position=position,
        )
    return use_case
