"""Deterministic synthetic use cases for load tests and demos (manage.py seed_demo).

Everything here is pure Python and driven by one `random.Random(seed)`: the same seed and the
same referential give the same cases, field for field. The text is built from French word
banks and sentence templates, at realistic lengths (a title, a summary of at most 300
characters, two to four paragraphs of need, solution and results). Themes, stages, hosting,
build modes, years, collectivité kinds and tags follow skewed (Zipf-like) distributions, as a
real catalogue does. A few rare words appear in about one case in 2,500, for "rare word"
searches.
"""

import datetime
import itertools
import random
from dataclasses import dataclass, field

from .choices import BuildMode, CostRange, Hosting, ResourceKind, Stage

SLUG_PREFIX = "demo-"
TAG_COUNT = 300
# Words the benchmark searches for: COMMON_WORD is in most cases, RARE_WORDS in a few each.
COMMON_WORD = "données"
RARE_WORDS = [
    "lidar", "sargasses", "ostréiculture", "frelons", "avalanches", "méthanisation",
    "thermographie", "bathymétrie", "apiculture", "estran", "karst", "tourbières",
]  # fmt: skip
RARE_WORD_PROBABILITY = 0.005

THEME_WEIGHTS = {
    "transition-ecologique-et-energetique": 30,
    "administration-et-organisation-interne": 22,
    "citoyennete-sante-et-solidarite": 18,
    "mobilites": 13,
    "attractivite-et-amenagement": 10,
    "gouvernance-et-socles-technologiques": 7,
}
STAGE_WEIGHTS = {
    Stage.EXPERIMENT: 36,
    Stage.DEPLOYMENT: 27,
    Stage.IDEA: 14,
    Stage.GENERALISED: 13,
    Stage.STOPPED: 10,
}
HOSTING_WEIGHTS = {
    Hosting.UNKNOWN: 34,
    Hosting.SOVEREIGN_CLOUD: 26,
    Hosting.ON_PREMISE: 18,
    Hosting.EU_CLOUD: 14,
    Hosting.NON_EU_CLOUD: 8,
}
BUILD_WEIGHTS = {BuildMode.VENDOR: 55, BuildMode.IN_HOUSE: 25, BuildMode.OPEN_SOURCE: 20}
KIND_WEIGHTS = {
    "commune": 48,
    "ca": 12,
    "cc": 9,
    "metropole": 9,
    "departement": 10,
    "region": 6,
    "cu": 3,
    "ept": 1,
    "statut_particulier": 2,
}
TECHNIQUE_WEIGHTS = {
    "apprentissage-automatique": 30,
    "ia-generative": 24,
    "traitement-du-langage": 18,
    "vision-par-ordinateur": 12,
    "agent-conversationnel": 8,
    "optimisation": 5,
    "audio-et-voix": 2,
    "systeme-a-base-de-regles": 1,
}
FIRST_YEAR, LAST_YEAR = 2015, 2026
# Publication dates spread over seven years, newest last.
FIRST_PUBLICATION = datetime.datetime(2019, 1, 1, 9, 0, tzinfo=datetime.UTC)
PUBLICATION_SPAN_SECONDS = 7 * 365 * 24 * 3600

VERBS = [
    "Détecter", "Prévoir", "Optimiser", "Automatiser", "Analyser", "Cartographier",
    "Classer", "Réduire", "Améliorer", "Simplifier", "Anticiper", "Suivre", "Mesurer",
    "Planifier", "Trier", "Répondre à", "Accompagner", "Surveiller", "Rédiger", "Modéliser",
]  # fmt: skip
OBJECTS = [
    "les fuites du réseau d’eau potable", "la consommation énergétique des bâtiments",
    "les tournées de collecte des déchets", "les demandes des habitants",
    "le courrier entrant", "l’état de la voirie", "les îlots de chaleur urbains",
    "la fréquentation des transports publics", "les délibérations du conseil",
    "les dépôts sauvages", "l’éclairage public", "les inscriptions scolaires",
    "les risques d’inondation", "la qualité de l’air", "les arbres d’alignement",
    "les places de stationnement", "les marchés publics", "les comptes rendus de réunion",
    "les aides sociales", "l’occupation des équipements sportifs", "les espaces verts",
    "les appels au standard", "les factures des fournisseurs", "les permis de construire",
    "les parcours d’insertion", "la restauration scolaire", "les archives municipales",
    "les signalements sur l’espace public", "le réseau d’assainissement", "les friches",
]  # fmt: skip
COMPLEMENTS = [
    "grâce à l’apprentissage automatique", "avec un modèle de langage hébergé en France",
    "à partir des images des caméras", "avec les données des capteurs",
    "pour les agents d’accueil", "à l’échelle de l’intercommunalité",
    "avec un outil libre mutualisé", "en temps réel", "avant la saison estivale",
    "pour mieux informer les habitants", "avec l’appui d’une start-up locale",
    "sur l’ensemble du territoire", "à partir des données ouvertes",
]  # fmt: skip
SERVICES = [
    "la direction de l’eau", "le service des espaces verts", "la direction des systèmes "
    "d’information", "le centre communal d’action sociale", "le service de la voirie",
    "la direction des finances", "le service état civil", "la police municipale",
    "la direction de la mobilité", "le service urbanisme", "la direction des ressources "
    "humaines", "le service communication", "la régie des déchets", "le service des sports",
]  # fmt: skip
PROBLEMS = [
    "les volumes à traiter augmentaient chaque année sans moyens supplémentaires",
    "les agents passaient une grande partie de leur temps à des tâches répétitives",
    "les informations étaient dispersées entre plusieurs logiciels métiers",
    "les délais de réponse aux habitants dépassaient souvent trois semaines",
    "les interventions se faisaient en urgence plutôt que de manière préventive",
    "les coûts de fonctionnement pesaient de plus en plus sur le budget",
    "les élus manquaient d’indicateurs fiables pour arbitrer",
    "les contrôles sur le terrain ne couvraient qu’une petite partie du territoire",
    "la connaissance du patrimoine reposait sur quelques agents proches de la retraite",
]  # fmt: skip
DATA_SOURCES = [
    "les relevés des compteurs", "les images aériennes", "les données de billettique",
    "les demandes déposées en ligne", "les historiques d’intervention",
    "les données météorologiques", "les fichiers du cadastre", "les courriers numérisés",
    "les données ouvertes de l’INSEE", "les mesures des capteurs connectés",
    "les comptes rendus des conseils", "les tickets du support informatique",
]  # fmt: skip
METHODS = [
    "un modèle de classification entraîné sur plusieurs années d’historique",
    "un modèle de langage hébergé sur un cloud souverain",
    "un réseau de neurones de vision par ordinateur",
    "un algorithme d’optimisation de tournées", "un moteur de règles métier",
    "un agent conversationnel relié à la base de connaissances",
    "un modèle de prévision de séries temporelles",
]  # fmt: skip
BENEFITS = [
    "le temps de traitement a été divisé par deux",
    "les agents se concentrent désormais sur les situations complexes",
    "les habitants reçoivent une réponse plus rapide",
    "les interventions préventives ont remplacé une partie des urgences",
    "la consommation a baissé de manière mesurable",
    "les élus disposent d’un tableau de bord mis à jour chaque semaine",
    "le service a pu absorber la hausse des demandes sans recrutement",
]  # fmt: skip
CAUTIONS = [
    "Une validation humaine reste systématique avant toute décision.",
    "Les agents ont été associés dès la conception de l’outil.",
    "Une analyse d’impact relative à la protection des données a été menée.",
    "Le modèle est réévalué chaque trimestre pour éviter les dérives.",
    "Les résultats restent à confirmer sur une période plus longue.",
    "La qualité des données d’entrée a demandé un travail de nettoyage important.",
    "Le coût énergétique de l’entraînement a été mesuré et jugé raisonnable.",
]  # fmt: skip
TAG_NOUNS = [
    "eau", "énergie", "déchets", "voirie", "mobilité", "stationnement", "transport",
    "urbanisme", "bâtiments", "éclairage", "biodiversité", "climat", "inondations",
    "qualité de l’air", "agriculture", "forêt", "littoral", "tourisme", "culture",
    "éducation", "cantine", "petite enfance", "santé", "action sociale", "insertion",
    "emploi", "logement", "sécurité", "police municipale", "état civil", "courrier",
    "accueil", "relation usager", "ressources humaines", "finances", "marchés publics",
    "archives", "délibérations", "documentation", "traduction", "accessibilité",
    "données ouvertes", "cybersécurité", "infrastructure", "mutualisation", "sobriété",
    "cartographie", "imagerie", "capteurs", "prévision", "assainissement", "propreté",
    "espaces verts", "sport", "jeunesse", "seniors", "handicap", "démocratie locale",
    "concertation", "communication",
]  # fmt: skip
TAG_QUALIFIERS = [
    "", " et prévention", " en zone rurale", " en ville", " et habitants", " et agents",
    " et climat", " et territoire", " et données", " et budget",
]  # fmt: skip
KEY_FIGURES = [
    ("{n} %", "de temps de traitement en moins"),
    ("{n} %", "de consommation en moins"),
    ("{n}", "demandes traitées chaque mois"),
    ("{n} k€", "économisés par an"),
    ("{n}", "agents formés"),
    ("{n} h", "gagnées par semaine"),
]
RESOURCE_TITLES = [
    "Délibération du conseil", "Cahier des charges", "Présentation du projet",
    "Article de presse", "Code source", "Jeu de données", "Retour d’expérience",
]  # fmt: skip
VENDORS = ["", "", "Société Exemple", "Coopérative Numérique", "Start-up Locale", "OPSN régional"]


def weighted(rng, weights):
    """One key of `weights` (a dict of key -> weight) drawn with `rng`."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def tag_vocabulary(size=TAG_COUNT):
    """About `size` French tags, most frequent first (their rank sets their Zipf weight)."""
    names = []
    for qualifier, noun in itertools.product(TAG_QUALIFIERS, TAG_NOUNS):
        if len(names) >= size:
            break
        names.append(f"{noun}{qualifier}")
    return names


@dataclass
class DemoCase:
    """One generated case: its fields plus the references the command turns into rows."""

    index: int
    fields: dict
    collectivite_id: int
    theme_slug: str
    technique_slugs: list
    tags: list
    partner_ids: list = field(default_factory=list)
    key_figures: list = field(default_factory=list)
    resources: list = field(default_factory=list)


class Generator:
    """Draws cases one by one; `collectivites` is [(id, kind, population)] in a stable order."""

    def __init__(self, seed, collectivites):
        self.rng = random.Random(seed)
        self.seed = seed
        self.tags = tag_vocabulary()
        self.tag_weights = [1 / (rank + 1) ** 1.07 for rank in range(len(self.tags))]
        by_kind = {}
        for pk, kind, population in collectivites:
            by_kind.setdefault(kind, []).append((pk, population or 1))
        # Larger collectivités carry more projects: weight by the square root of population.
        self.pools = {
            kind: ([pk for pk, _ in rows], list(itertools.accumulate(p**0.5 for _, p in rows)))
            for kind, rows in by_kind.items()
        }
        self.kind_weights = {k: w for k, w in KIND_WEIGHTS.items() if k in self.pools}
        self.all_ids = [pk for pk, _kind, _population in collectivites]

    def collectivite(self):
        ids, cumulative = self.pools[weighted(self.rng, self.kind_weights)]
        return self.rng.choices(ids, cum_weights=cumulative)[0]

    def sentence(self, *parts):
        return " ".join(parts)

    def paragraph(self, sentences):
        return " ".join(sentences)

    def rare_sentence(self):
        if self.rng.random() < RARE_WORD_PROBABILITY:
            word = self.rng.choice(RARE_WORDS)
            return [f"Le projet s’est aussi intéressé à un sujet peu courant : {word}."]
        return []

    def texts(self, obj, service):
        rng = self.rng
        need = [
            self.paragraph(
                [
                    f"Pour {service}, {rng.choice(PROBLEMS)}.",
                    f"Le suivi de {obj} reposait sur des tableurs et sur "
                    f"{rng.choice(DATA_SOURCES)}, consultés à la main.",
                    f"La collectivité voulait aussi mieux exploiter ses {COMMON_WORD} et "
                    f"partager ses méthodes avec d’autres territoires.",
                ]
            )
            for _ in range(rng.randint(2, 3))
        ]
        solution = [
            self.paragraph(
                [
                    f"L’outil s’appuie sur {rng.choice(METHODS)}, alimenté par "
                    f"{rng.choice(DATA_SOURCES)} et {rng.choice(DATA_SOURCES)}.",
                    f"Il propose chaque jour aux agents une liste priorisée concernant {obj}.",
                    rng.choice(CAUTIONS),
                    *self.rare_sentence(),
                ]
            )
            for _ in range(rng.randint(2, 4))
        ]
        results = [
            self.paragraph(
                [
                    f"Après {rng.randint(3, 30)} mois, {rng.choice(BENEFITS)}.",
                    f"Par ailleurs, {rng.choice(BENEFITS)}.",
                    rng.choice(CAUTIONS),
                ]
            )
            for _ in range(rng.randint(1, 3))
        ]
        return "\n\n".join(need), "\n\n".join(solution), "\n\n".join(results)

    def case(self, index):
        """Case number `index`: draws in a fixed order, so that one seed gives one catalogue."""
        obj, service, title, summary = self.headline()
        need, solution, results = self.texts(obj, service)
        fields = {
            "title": title,
            "summary": summary,
            "need": need,
            "solution": solution,
            "results": results,
            **self.facts(),
            **self.contact(index),
            **self.dates(),
        }
        return DemoCase(index=index, fields=fields, **self.references(index))

    def headline(self):
        """What the case is about, the service that carries it, its title and its summary."""
        rng = self.rng
        obj = rng.choice(OBJECTS)
        title = f"{rng.choice(VERBS)} {obj} {rng.choice(COMPLEMENTS)}"[:150]
        service = rng.choice(SERVICES)
        summary = (
            f"{title}. Un projet porté par {service}, avec {rng.choice(METHODS)}, "
            f"pour que {rng.choice(BENEFITS)}."
        )[:300]
        return obj, service, title, summary

    def facts(self):
        """The project's stage, years, build, hosting, vendor, cost and lessons."""
        rng = self.rng
        stage = weighted(rng, STAGE_WEIGHTS)
        start_year = min(LAST_YEAR, FIRST_YEAR + int(rng.triangular(0, 12, 10)))
        ended = stage == Stage.STOPPED and start_year < LAST_YEAR
        return {
            "data_used": f"{rng.choice(DATA_SOURCES).capitalize()} ; {rng.choice(DATA_SOURCES)}.",
            "stage": stage,
            "start_year": start_year,
            "end_year": rng.randint(start_year + 1, LAST_YEAR) if ended else None,
            "build_mode": weighted(rng, BUILD_WEIGHTS),
            "hosting": weighted(rng, HOSTING_WEIGHTS),
            "vendor": rng.choice(VENDORS),
            "cost_range": rng.choice(CostRange.values),
            "lessons_learned": rng.choice(CAUTIONS) if rng.random() < 0.6 else "",
        }

    def contact(self, index):
        """A public contact for about a third of the cases."""
        role = "Chef de projet" if self.rng.random() < 0.3 else ""
        email = f"contact-{index}@example.org" if role else ""
        return {"contact_role": role, "contact_email": email, "contact_is_public": bool(email)}

    def dates(self):
        """Published within the demo's span, created up to two months before."""
        rng = self.rng
        published_at = FIRST_PUBLICATION + datetime.timedelta(
            seconds=rng.randint(0, PUBLICATION_SPAN_SECONDS)
        )
        created_at = published_at - datetime.timedelta(days=rng.randint(1, 60))
        return {"published_at": published_at, "created_at": created_at}

    def references(self, index):
        """What the command turns into rows of their own: vocabulary, partners, figures, links."""
        rng = self.rng
        techniques = sorted({weighted(rng, TECHNIQUE_WEIGHTS) for _ in range(rng.randint(1, 3))})
        tags = sorted(set(rng.choices(self.tags, weights=self.tag_weights, k=rng.randint(2, 6))))
        partners = (
            sorted(set(rng.choices(self.all_ids, k=rng.randint(1, 3))))
            if rng.random() < 0.25
            else []
        )
        key_figures = [
            (value.format(n=rng.randint(2, 90)), label)
            for value, label in rng.sample(KEY_FIGURES, rng.randint(0, 3))
        ]
        resources = [
            (
                rng.choice(RESOURCE_TITLES),
                rng.choice(ResourceKind.values),
                f"https://www.example.org/demo/{self.seed}/{index}/{position}",
            )
            for position in range(rng.randint(0, 3))
        ]
        return {
            "technique_slugs": techniques,
            "tags": tags,
            "partner_ids": partners,
            "key_figures": key_figures,
            "resources": resources,
            "collectivite_id": self.collectivite(),
            "theme_slug": weighted(rng, THEME_WEIGHTS),
        }


def demo_slug(seed, index, title):
    """`demo-s<seed>-<index>-<title>`: unique, recognisable, and it tells the seed back."""
    from django.utils.text import slugify

    return f"{SLUG_PREFIX}s{seed}-{index:06d}-{slugify(title)[:120]}"
