"""The Markdown report of a benchmark run (bench/run.py writes the JSON next to it)."""

# Budgets of the catalogue at scale: p95 in ms per target, None where there is none.
P95_BUDGETS = {
    "home": 150,
    "list": 150,
    "list_1_filter": 150,
    "list_2_filters": 150,
    "list_3_filters": 150,
    "search_common": 150,
    "search_rare": 150,
    "search_2_filters": 150,
    "list_page_50": 150,
    "list_last_page": 150,
    "theme_page": 150,
    "sheet": 50,
    # The sheet's budget for the pages of its size (bench/run.py targets).
    "sheet_history": 50,
    "widget_embed": 50,
    "widget_builder": 50,
    "api_list_filters": 100,
}
# The peer (Aides-territoires, 100,000 aids, 2 workers): req/s of the same page,
# and the factor to beat it by (50 for list and search pages, 10 for a sheet). Its server
# answered a static file at PEER_STATIC req/s: the ratio to that ceiling compares machines.
PEER = {
    "list": ("recherche sans filtre", 1.2, 50),
    "search_common": ("recherche d’un mot courant", 1.0, 50),
    "search_2_filters": ("texte + 2 filtres", 8.2, 50),
    "list_page_50": ("recherche, page 2", 1.2, 50),
    "sheet": ("page d’une aide", 45, 10),
}
PEER_STATIC = 7650


TITLES = {
    "home": "Accueil",
    "list": "Liste, sans filtre",
    "list_1_filter": "Liste, 1 filtre (thème)",
    "list_2_filters": "Liste, 2 filtres (thème, stade)",
    "list_3_filters": "Liste, 3 filtres (+ technique)",
    "search_common": "Recherche, mot courant",
    "search_rare": "Recherche, mot rare",
    "search_2_filters": "Recherche + 2 filtres",
    "list_page_50": "Liste, page 50",
    "list_last_page": "Liste, dernière page",
    "theme_page": "Page thème + 1 filtre",
    "sheet": "Fiche",
    "sheet_history": "Historique d’une fiche",
    "widget_embed": "Widget intégré (10 derniers cas d’un thème)",
    "widget_builder": "Page « Intégrer sur son site »",
    "api_list_filters": "API, liste filtrée",
    "csv_export_filtered": "Export CSV filtré",
    "health": "Vue Django minimale (plancher)",
    "template_floor": "Page sans requête, gabarit du site (plancher d’une page)",
    "static_file": "Fichier statique (plafond)",
}


def verdict(name, row):
    marks = []
    p95_budget = P95_BUDGETS.get(name)
    if p95_budget is not None:
        marks.append(("✅" if row["p95_ms"] <= p95_budget else "❌") + f" p95 ≤ {p95_budget}")
    if name in PEER:
        _label, peer_rps, factor = PEER[name]
        minimum = peer_rps * factor
        marks.append(("✅" if row["rps"] >= minimum else "❌") + f" ≥ {minimum:g}/s")
    return ", ".join(marks)


def peer_table(run):
    """Throughput against the peer's, in req/s and as a share of each server's static rate."""
    static = run["rows"].get("static_file", {}).get("rps")
    lines = [
        "| cible | page du pair | pair req/s | ici req/s | × pair | pair % statique "
        "| ici % statique | × pair (rapporté au statique) | facteur demandé |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (label, peer_rps, factor) in PEER.items():
        row = run["rows"].get(name)
        if row is None or not static:
            continue
        ours, peer = row["rps"] / static, peer_rps / PEER_STATIC
        lines.append(
            f"| {TITLES[name]} | {label} | {peer_rps:g} | {row['rps']:.1f} | "
            f"{row['rps'] / peer_rps:.0f} | {100 * peer:.3f} | {100 * ours:.2f} | "
            f"{ours / peer:.0f} {'✅' if ours / peer >= factor else '❌'} | {factor} |"
        )
    return "\n".join(lines)


def table(run, with_budgets=True):
    static = run["rows"].get("static_file", {}).get("rps")
    lines = [
        "| cible | chemin | req/s | % statique | p50 ms | p95 ms | p99 ms | erreurs | octets |"
        + (" budget |" if with_budgets else ""),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|" + ("---|" if with_budgets else ""),
    ]
    for name, row in run["rows"].items():
        ratio = f"{100 * row['rps'] / static:.1f}" if static else ""
        line = (
            f"| {TITLES.get(name, name)} | `{row['path']}` | {row['rps']:.1f} | {ratio} | "
            f"{row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['errors']} | {row.get('size', '')} |"
        )
        if with_budgets:
            line += f" {verdict(name, row)} |"
        lines.append(line)
    return "\n".join(lines)


def rss(samples):
    return " + ".join(f"{kb / 1024:.0f}" for kb in samples.values())


def markdown(results):
    machine, settings = results["machine"], results["settings"]
    out = [
        f"# Benchmark {settings['use_cases']:,} cas d’usage — {results['date']}".replace(",", " "),
        "",
        f"Commande : `{results['command']}`",
        "",
        f"Machine : {machine['nproc']} cœurs ({machine['cpu']}), {machine['memory_gib']} Gio ; "
        f"PostgreSQL {machine['postgresql']} ; Python {machine['python']} ; {machine['wrk']}. "
        f"Charge moyenne avant : {' '.join(machine['load_before'])}, après : "
        f"{' '.join(machine.get('load_after', []))} (machine partagée : chiffres bruités).",
        "",
        f"Réglages : gunicorn 2 workers synchrones (`gunicorn.conf.py` tel que livré : "
        f"{settings.get('recycling', 'recyclage coupé')}, sauf mention contraire), "
        f"wrk {settings['connections']} connexions, {settings['duration_s']} s par cible après "
        f"{settings['warmup_s']} s de chauffe, graine {settings['seed']}. Préparation : "
        + ", ".join(f"{k} {v:.0f} s" for k, v in results["timings_s"].items())
        + ".",
        "",
        "## Sans cache de pages",
        "",
        table(results["no_cache"]),
        "",
        f"RSS des workers (Mio) : début {rss(results['no_cache']['rss_start_kb'])}, "
        f"fin {rss(results['no_cache']['rss_end_kb'])}" + master_rss(results["no_cache"]) + ".",
        "",
        *recycling_section(results),
        "### Face au pair (Aides-territoires)",
        "",
        f"Le pair servait un fichier statique à {PEER_STATIC} req/s ; ce serveur-ci à "
        f"{results['no_cache']['rows'].get('static_file', {}).get('rps', 0):.0f} req/s dans "
        "la même série. « × pair » compare les débits bruts ; la colonne suivante compare "
        "les parts du plafond statique de chaque serveur.",
        "",
        peer_table(results["no_cache"]),
        "",
        "## Avec le cache des pages anonymes",
        "",
        table(results["cache"]),
        "",
        f"Fiche en cache : {cache_ratio(results)} du débit du fichier statique (budget ≥ 25 %).",
        "",
    ]
    if "no_counts_cache" in results:
        out += [
            "## Sans cache de pages, index du catalogue reconstruit à chaque requête",
            "",
            "`DJANGO_COUNTS_CACHE_SECONDS=0` : l’index en mémoire (usecases/listing) et les "
            "chiffres de l’accueil sont recalculés à chaque requête au lieu d’une fois par "
            "version du catalogue : le prix de ce que l’index évite.",
            "",
            table(results["no_counts_cache"]),
            "",
        ]
    if "memory" in results:
        memory = results["memory"]
        out += [
            f"## Mémoire sur {memory['samples'][-1][0]} s de charge mixte (recyclage coupé)",
            "",
            f"{memory['requests']} requêtes, {memory['errors']} erreurs, chemins : "
            + ", ".join(f"`{path}`" for path in memory["paths"]),
            "",
            "| t (s) | RSS des workers (Mio) |",
            "|---:|---|",
            *(f"| {t} | {rss(sample)} |" for t, sample in memory["samples"]),
            "",
        ]
    if "sqlite" in results:
        sqlite = results["sqlite"]
        out += [
            "## SQLite, " + f"{sqlite.get('use_cases', 10000):,} cas".replace(",", " "),
            "",
            "Budget : liste p95 ≤ 300 ms avec 10 000 cas (`make run`). Préparation : "
            + ", ".join(f"{k} {v:.0f} s" for k, v in sqlite["timings"].items())
            + ".",
            "",
            table(sqlite, with_budgets=False),
            "",
        ]
    return "\n".join(out)


def cache_ratio(results):
    rows = results["cache"]["rows"]
    if "sheet" not in rows or "static_file" not in rows:
        return "n/a"
    return f"{100 * rows['sheet']['rps'] / rows['static_file']['rps']:.1f} %"


def master_rss(run):
    if "master_rss_kb" not in run:
        return ""
    master = run["master_rss_kb"] / 1024
    return f" ; maître (il a construit l’index avant de créer les workers) {master:.0f}"


def recycling_section(results):
    if "no_recycling" not in results:
        return []
    return [
        "### Les mêmes cibles, recyclage des workers coupé (`--max-requests 0`)",
        "",
        "La configuration des mesures précédentes ; au-dessus, celle qui est livrée.",
        "",
        table(results["no_recycling"]),
        "",
    ]
