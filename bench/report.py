"""The Markdown report of a benchmark run (bench/run.py writes the JSON next to it)."""

# Budgets of issue #7: (p95 ms, minimum req/s) per target, None where there is none.
BUDGETS = {
    "home": (150, None),
    "list": (150, None),
    "list_1_filter": (150, None),
    "list_2_filters": (150, None),
    "list_3_filters": (150, None),
    "search_common": (150, 60),
    "search_rare": (150, 60),
    "search_2_filters": (150, 410),
    "list_page_50": (150, None),
    "list_last_page": (150, None),
    "theme_page": (150, None),
    "sheet": (50, 450),
    "api_list_filters": (100, None),
}
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
    "api_list_filters": "API, liste filtrée",
    "csv_export_filtered": "Export CSV filtré",
    "static_file": "Fichier statique (plafond)",
}


def verdict(name, row):
    p95_budget, rps_budget = BUDGETS.get(name, (None, None))
    marks = []
    if p95_budget is not None:
        marks.append(("✅" if row["p95_ms"] <= p95_budget else "❌") + f" p95 ≤ {p95_budget}")
    if rps_budget is not None:
        marks.append(("✅" if row["rps"] >= rps_budget else "❌") + f" ≥ {rps_budget}/s")
    return ", ".join(marks)


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
        f"Réglages : gunicorn 2 workers synchrones (`gunicorn.conf.py`, recyclage coupé), "
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
        f"fin {rss(results['no_cache']['rss_end_kb'])}.",
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
            "## Sans cache de pages ni comptes par version du catalogue",
            "",
            "`DJANGO_COUNTS_CACHE_SECONDS=0` : les compteurs du catalogue non filtré et les "
            "chiffres de l’accueil sont recalculés à chaque requête.",
            "",
            table(results["no_counts_cache"]),
            "",
        ]
    if "memory" in results:
        memory = results["memory"]
        out += [
            f"## Mémoire sur {memory['samples'][-1][0]} s de charge mixte",
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
