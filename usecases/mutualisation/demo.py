"""Demo solutions and « nous aussi » declarations for `manage.py seed_demo` (load tests, demos).

Deterministic for a seed, like the demo cases: a few hundred solutions whose popularity is
skewed (a few are named by thousands of cases, most by a handful), about seven cases in ten
linked to one or two of them, and about one case in eight declared as reused by one to three
other collectivités. Everything is marked `is_demo` and removed with the demo cases.
"""

import random

from .choices import ModelFamily, ProviderLocation, ReuseKind, SolutionKind
from .models import ReuseDeclaration, Solution

SOLUTION_COUNT = 300
BATCH_SIZE = 5000
FIRST_WORDS = [
    "Atlas",
    "Boussole",
    "Canopée",
    "Clairvoie",
    "Écho",
    "Héliade",
    "Lumen",
    "Orée",
    "Sémaphore",
    "Vigie",
    "Marelle",
    "Arpent",
    "Cadastre",
    "Fontaine",
    "Passerelle",
]
SECOND_WORDS = ["IA", "Data", "Bot", "Flux", "Carto", "Doc", "Eau", "Mobilité", "Tri", "Voix"]
PUBLISHERS = [
    "Numérique des territoires",
    "Régie publique du libre",
    "Éditions logicielles de l’Ouest",
    "Data & Communes",
    "Groupement des DSI",
    "EuroSoft",
    "Global Cloud Inc.",
    "Open Civic Tech",
]
KINDS = [(SolutionKind.PRODUCT, 65), (SolutionKind.OPEN_SOURCE, 20), (SolutionKind.IN_HOUSE, 15)]
LOCATIONS = [
    (ProviderLocation.FRANCE, 55),
    (ProviderLocation.EU, 15),
    (ProviderLocation.OUTSIDE_EU, 20),
    (ProviderLocation.UNKNOWN, 10),
]
FAMILIES = [
    (ModelFamily.NONE, 40),
    (ModelFamily.OPENAI, 20),
    (ModelFamily.MISTRAL, 15),
    (ModelFamily.LLAMA, 10),
    (ModelFamily.OWN, 10),
    (ModelFamily.SEVERAL, 5),
]
REUSE_KINDS = [(ReuseKind.ADOPTED, 60), (ReuseKind.CONSIDERING, 30), (ReuseKind.STOPPED, 10)]


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def solution_slug(seed, number):
    return f"demo-s{seed}-solution-{number}"


def make_solutions(seed, rng):
    solutions = []
    for number in range(SOLUTION_COUNT):
        first = FIRST_WORDS[number % len(FIRST_WORDS)]
        second = SECOND_WORDS[(number // len(FIRST_WORDS)) % len(SECOND_WORDS)]
        rank = number // (len(FIRST_WORDS) * len(SECOND_WORDS))
        name = f"{first} {second}" + (f" {rank + 1}" if rank else "") + " (démo)"
        solutions.append(
            Solution(
                name=name,
                slug=solution_slug(seed, number),
                kind=_pick(rng, KINDS),
                publisher=rng.choice(PUBLISHERS),
                publisher_location=_pick(rng, LOCATIONS),
                model_family=_pick(rng, FAMILIES),
                description="Solution fictive créée pour les tests de charge.",
                is_demo=True,
            )
        )
    return Solution.objects.bulk_create(solutions)


def seed(seed, cases, collectivite_ids):
    """Link demo `cases` [(pk, collectivite_id)] to demo solutions and declare reuses."""
    rng = random.Random(f"mutualisation-{seed}")
    solutions = make_solutions(seed, rng)
    # Popularity: a Pareto draw per solution, so that a few solutions are named very often.
    weights = [rng.paretovariate(1.2) for _solution in solutions]
    through = Solution.use_cases.through
    links, declarations = [], []
    for pk, lead in cases:
        draw = rng.random()
        named = []
        if draw < 0.7:
            named = {s.pk for s in rng.choices(solutions, weights, k=1 if draw < 0.6 else 2)}
            links.extend(through(solution_id=solution, usecase_id=pk) for solution in named)
        if rng.random() < 0.125:
            others = {rng.choice(collectivite_ids) for _n in range(rng.randint(1, 3))} - {lead}
            for collectivite in sorted(others):
                declarations.append(
                    ReuseDeclaration(
                        use_case_id=pk,
                        collectivite_id=collectivite,
                        kind=_pick(rng, REUSE_KINDS),
                        year=rng.randint(2020, 2026),
                        solution_id=min(named) if named and rng.random() < 0.5 else None,
                        is_demo=True,
                    )
                )
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    ReuseDeclaration.objects.bulk_create(declarations, batch_size=BATCH_SIZE)
    return len(solutions), len(links), len(declarations)


def delete(case_ids):
    """Remove the demo mutualisation rows (before the demo cases `case_ids` are deleted)."""
    ReuseDeclaration.objects.filter(use_case__in=case_ids).delete()
    ReuseDeclaration.objects.filter(is_demo=True).delete()
    Solution.use_cases.through.objects.filter(usecase_id__in=case_ids).delete()
    Solution.objects.filter(is_demo=True).delete()
