"""Measure every public page as in production and publish the figures (make ecoindex).

    .venv/bin/python bin/measure-pages.py

Production-like on purpose: DEBUG off, static files collected, compressed and hashed by
whitenoise, served by gunicorn with the project's gunicorn.conf.py (the browser tests measure
Django's live_server instead, which serves static files uncompressed). The database is a
throwaway SQLite file filled with the browser tests' realistic catalogue
(tests/browser/dataset.py), so the figures can be compared from one run to the next.

For each page of tests/browser/site_pages.py: DOM elements (without SVG children), requests and
kilobytes transferred, measured with Playwright and the system Chromium, then the EcoIndex
score and grade computed by tests/browser/ecoindex.py, and axe-core's violation count.

Writes bibliotheque/ecoconception.json (read by /ecoconception/) and docs/ecoconception.md.
"""

import datetime
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib.metadata import version
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
JSON_REPORT = BASE_DIR / "bibliotheque" / "ecoconception.json"
MARKDOWN_REPORT = BASE_DIR / "docs" / "ecoconception.md"


def production_environment(database_path):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database_path}",
        # Plain HTTP on the loopback: no HTTPS redirect, no __Host- cookies, no HSTS.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Le serveur de mesure ne répond pas sur {url}.")


def measure_pages(base_url, catalogue):
    from playwright.sync_api import sync_playwright

    from tests.browser.measure import (
        AXE_PATH,
        CHROMIUM_ARGS,
        axe_violations,
        chromium_path,
        measure,
    )
    from tests.browser.site_pages import PAGES

    executable = chromium_path()
    if executable is None:
        raise SystemExit("Chromium introuvable : apt-get install -y chromium")
    axe_source = AXE_PATH.read_text(encoding="utf-8") if AXE_PATH.is_file() else None
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for site_page in PAGES:
            path = site_page.path(catalogue)
            result = measure(browser, base_url + path)
            if result.status != site_page.status:
                raise SystemExit(f"{path} answered {result.status}, not {site_page.status}")
            violations = None
            if axe_source:
                context = browser.new_context()
                page = context.new_page()
                page.goto(base_url + path)
                violations = len(axe_violations(page, axe_source))
                context.close()
            score = result.ecoindex
            rows.append(
                {
                    "name": site_page.name,
                    "path": path,
                    "status": result.status,
                    "grade": score.grade,
                    "score": score.score,
                    "dom": result.dom,
                    "requests": result.request_count,
                    "size_kb": round(result.size_kb, 1),
                    "ghg_g": score.ghg_g,
                    "water_cl": score.water_cl,
                    "axe_violations": violations,
                }
            )
            print(
                f"{score.grade} {score.score:3d}  {result.dom:4d} éléments  "
                f"{result.request_count:2d} requêtes  {result.size_kb:6.1f} ko  {path}"
            )
        chromium_version = browser.version
        browser.close()
    return rows, chromium_version


def markdown(report):
    lines = [
        "# Écoconception : mesures des pages",
        "",
        "Fichier généré par `make ecoindex` (`bin/measure-pages.py`) : ne pas modifier à la main.",
        "Les mêmes chiffres sont publiés sur la page `/ecoconception/` du site.",
        "",
        f"- Mesuré le {report['measured_on']} avec {report['tool']}.",
        f"- Données : {report['dataset']}.",
        f"- {report['server']}",
        "- Budget par page (vérifié aussi par `tests/browser/test_sobriety.py`) : EcoIndex A "
        "(score > 80), 100 ko transférés et 10 requêtes au plus, aucune requête vers un autre "
        "hôte, aucune police web.",
        "",
        "| Page | Adresse | Note | Score | Éléments | Requêtes | ko | gCO2e | cl d’eau "
        "| Violations axe |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["pages"]:
        axe = "—" if row["axe_violations"] is None else row["axe_violations"]
        lines.append(
            f"| {row['name']} | `{row['path']}` | {row['grade']} | {row['score']} | {row['dom']} "
            f"| {row['requests']} | {row['size_kb']} | {row['ghg_g']} | {row['water_cl']} "
            f"| {axe} |"
        )
    lines += [
        "",
        "## Méthode",
        "",
        "- Entrées mesurées comme le fait le collecteur de référence (`cnumr/ecoindex_python`, "
        "`ecoindex/scraper/scrap.py`) : fenêtre de 1920 × 1080, chargement, flèche bas, "
        "défilement jusqu’en bas, attente du réseau ; éléments du DOM sans les enfants des "
        "`<svg>`, nombre d’entrées du HAR, somme de leurs `_transferSize` (octets transférés, "
        "compressés) ÷ 1000. Cache vide (un contexte de navigateur neuf par page).",
        "- Score et note calculés par `tests/browser/ecoindex.py` selon la méthode publiée "
        "(https://www.ecoindex.fr/comment-ca-marche/) et les tables de quantiles de "
        "`cnumr/ecoindex_reference` ; les paquets `ecoindex*` (licence CC BY-NC-ND) ne sont "
        "pas utilisés.",
        "- Les pages d’erreur (404, 500) ne sont pas notées par le collecteur de référence, qui "
        "refuse les réponses autres que 200 ; le même budget leur est appliqué.",
        "- Les tests navigateur mesurent le `live_server` de pytest-django, qui sert les fichiers "
        "statiques sans compression : leurs poids sont plus élevés que ceux ci-dessus, et le "
        "budget y est tenu quand même.",
        "",
    ]
    return "\n".join(lines)


def main():
    from django.utils import formats

    with tempfile.TemporaryDirectory() as tmp:
        environment = production_environment(Path(tmp) / "measure.sqlite3")
        os.environ.update(environment)
        import django
        from django.core.management import call_command

        django.setup()
        from tests.browser.dataset import build_catalogue

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        catalogue = build_catalogue()
        port = free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "bibliotheque.wsgi:application"],
            cwd=BASE_DIR,
            env={**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_up(base_url + "/sante/")
            rows, chromium_version = measure_pages(base_url, catalogue)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report = {
        "measured_on": formats.date_format(datetime.date.today(), "j F Y"),
        "tool": f"Chromium {chromium_version} piloté par Playwright {version('playwright')}, "
        "axe-core "
        + json.loads((BASE_DIR / "package.json").read_text())["devDependencies"]["axe-core"],
        "dataset": f"le catalogue de test de tests/browser/dataset.py ({catalogue.published_count} "
        "cas d’usage publiés, 28 collectivités réelles, une fiche avec cinq ressources)",
        "server": "Serveur comme en production : gunicorn, mode débogage désactivé, fichiers "
        "statiques compressés et servis par whitenoise.",
        "pages": rows,
    }
    JSON_REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    MARKDOWN_REPORT.write_text(markdown(report), encoding="utf-8")
    print(f"Écrit : {JSON_REPORT.relative_to(BASE_DIR)}, {MARKDOWN_REPORT.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
