#!/usr/bin/env python3
"""Reproducible load benchmark of the catalogue at scale: `make bench`.

1. Creates the PostgreSQL database BENCH_DB (default bibliotheque_bench) on postgres@127.0.0.1
   (trust authentication), migrates it, imports the referential and seeds BENCH_USE_CASES
   (100,000) published demo cases with seed BENCH_SEED; an existing identical seed is reused.
2. Collects static files and starts gunicorn with production settings (DJANGO_DEBUG unset, a
   throwaway secret key, --config gunicorn.conf.py as shipped, 2 workers: workers recycled
   every ~1,000 requests, forked from a master that built the catalogue index).
3. Measures each target with wrk (2 connections, BENCH_DURATION seconds after a short warm-up)
   without, then with the anonymous-page cache, and a static file of a similar size served by
   the same gunicorn (whitenoise): the physical ceiling. wrk's Lua hook adds p95.
   A few targets once more with worker recycling off (the line of earlier benchmarks).
4. Runs a mixed load for BENCH_MEMORY_SECONDS (300), recycling off so that a leak would show,
   and records the workers' RSS over it.
5. Seeds BENCH_SQLITE_USE_CASES (10,000) cases in a SQLite file and measures the list there.
6. Writes bench/results/<date>-100k.md (and .json): tables, machine, command.

Environment knobs: BENCH_DB, BENCH_USE_CASES, BENCH_SEED, BENCH_DURATION (15), BENCH_WARMUP
(3), BENCH_MEMORY_SECONDS (300), BENCH_SQLITE_USE_CASES (10000, 0 to skip), BENCH_PORT (a free one),
BENCH_ONLY (comma-separated target names), BENCH_LABEL (suffix of the result files).
"""

import datetime
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LUA = ROOT / "bench" / "lua" / "report.lua"
RESULTS = ROOT / "bench" / "results"
NOTES_MARKER = "<!-- Notes written by hand below this line are kept when the file is rewritten. -->"

DB = os.environ.get("BENCH_DB", "bibliotheque_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
USE_CASES = int(os.environ.get("BENCH_USE_CASES", "100000"))
SEED = int(os.environ.get("BENCH_SEED", "42"))
DURATION = int(os.environ.get("BENCH_DURATION", "15"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
MEMORY_SECONDS = int(os.environ.get("BENCH_MEMORY_SECONDS", "300"))
SQLITE_USE_CASES = int(os.environ.get("BENCH_SQLITE_USE_CASES", "10000"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("BENCH_PORT") or free_port())
ONLY = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
LABEL = os.environ.get("BENCH_LABEL", "")
CONNECTIONS = 2
THEME = "transition-ecologique-et-energetique"
COMMON_WORD = "données"
RARE_WORD = "lidar"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def app_env(database_url, page_cache, counts_cache=True):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "GUNICORN_"))
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="bench-throwaway-" + os.urandom(24).hex(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_PAGE_CACHE_SECONDS="600" if page_cache else "0",
        DJANGO_COUNTS_CACHE_SECONDS="3600" if counts_cache else "0",
        # The API is rate-limited per client (120/minute); wrk is one client.
        API_THROTTLE_RATE="100000000/minute",
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS="2",
    )
    return env


def manage(env, *args):
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)
    return time.monotonic() - started


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("wrk is missing: installing it from Debian")
    subprocess.run(["apt-get", "update", "-q"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)


def ensure_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        if not exists:
            log(f"creating database {DB}")
            connection.execute(f'CREATE DATABASE "{DB}"')
        return connection.execute("SHOW server_version").fetchone()[0]


def prepare(env, use_cases, seed):
    timings = {"migrate": manage(env, "migrate", "--noinput", "-v0")}
    timings["import_collectivites"] = manage(env, "import_collectivites", "-v0")
    timings["seed_demo"] = manage(
        env,
        "seed_demo",
        f"--use-cases={use_cases}",
        f"--seed={seed}",
        "--i-know-this-is-demo-data",
    )
    return timings


class Server:
    """gunicorn with the project's gunicorn.conf.py, started and stopped by its pid.

    As shipped (worker recycling on), or with `recycling=False` (--max-requests 0).
    """

    def __init__(self, env, log_path, recycling=True):
        self.env, self.log_path, self.recycling = env, log_path, recycling

    def __enter__(self):
        command = [GUNICORN, "bibliotheque.wsgi:application"]
        if (ROOT / "gunicorn.conf.py").exists():
            command[1:1] = ["--config", "gunicorn.conf.py"]
        if not self.recycling:
            command += ["--max-requests", "0"]
        self.log = open(self.log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        for _ in range(120):
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/sante/", timeout=2)
            except OSError:
                time.sleep(0.5)
                continue
            if self.process.poll() is None:
                return self
        raise RuntimeError(f"gunicorn did not start, see {self.log_path}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()

    def master_rss_kb(self):
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))

    def worker_rss_kb(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        rss = {}
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            found = re.search(r"VmRSS:\s+(\d+)", status)
            if found:  # a worker being recycled (a zombie) has no resident set
                rss[int(pid)] = int(found.group(1))
        return rss


def wrk(path, duration, paths=None):
    url = f"http://127.0.0.1:{PORT}{path}"
    env = {**os.environ, "BENCH_PATHS": " ".join(paths or [])}
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "10s"]
    output = subprocess.run(
        [*command, "-s", str(LUA), url], env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / result["duration_s"]
    result["errors"] = sum(value for key, value in result.items() if key.startswith("errors_"))
    return result


def fetch(path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def quote(value):
    return urllib.request.quote(value)


def targets(sheet_path, static_path):
    two = f"theme={THEME}&stade=experiment"
    return [
        ("home", "/"),
        ("list", "/cas-d-usage/"),
        ("list_1_filter", f"/cas-d-usage/?theme={THEME}"),
        ("list_2_filters", f"/cas-d-usage/?{two}"),
        ("list_3_filters", f"/cas-d-usage/?{two}&technique=apprentissage-automatique"),
        ("search_common", f"/cas-d-usage/?q={quote(COMMON_WORD)}"),
        ("search_rare", f"/cas-d-usage/?q={RARE_WORD}"),
        ("search_2_filters", f"/cas-d-usage/?q={quote(COMMON_WORD)}&{two}"),
        ("list_page_50", "/cas-d-usage/?page=50"),
        ("list_last_page", "/cas-d-usage/?page=LAST"),
        ("theme_page", f"/themes/{THEME}/?stade=deployment"),
        ("sheet", sheet_path),
        # Pages of a sheet's own weight, held to the sheet's budget: its public history, the
        # widget other sites frame (a theme's latest cases) and the page that builds it.
        ("sheet_history", f"{sheet_path}historique/"),
        ("widget_embed", f"/integrer/liste/?theme={THEME}"),
        ("widget_builder", f"/integrer/?theme={THEME}"),
        ("api_list_filters", f"/api/v1/cas-d-usage/?{two}"),
        ("csv_export_filtered", f"/donnees/cas-d-usage.csv?{two}&region=53&hebergement=on_premise"),
        # The smallest Django answer (one SELECT 1, every middleware): the floor of a page.
        ("health", "/sante/"),
        # A page of the site's layout with no query: the floor of a rendered template.
        ("template_floor", "/mentions-legales/"),
        ("static_file", static_path),
    ]


RECYCLING_TARGETS = (
    "list",
    "list_1_filter",
    "list_2_filters",
    "search_common",
    "sheet",
    "api_list_filters",
    "template_floor",
    "static_file",
)


def last_page(path):
    """The last page number of the unfiltered list, read from the page itself."""
    _status, body = fetch(path)
    numbers = [int(n) for n in re.findall(rb"[?&]page=(\d+)", body)]
    return max(numbers) if numbers else 1


def static_of_similar_size(size):
    manifest = json.loads((ROOT / "var" / "staticfiles" / "staticfiles.json").read_text())
    best = None
    for hashed in manifest["paths"].values():
        file = ROOT / "var" / "staticfiles" / hashed
        if file.suffix in (".css", ".js", ".svg") and file.exists():
            distance = abs(file.stat().st_size - size)
            if best is None or distance < best[0]:
                best = (distance, hashed, file.stat().st_size)
    return f"/static/{best[1]}", best[2]


def measure_all(env, label, log_path, only=(), recycling=True):
    rows = {}
    with Server(env, log_path, recycling) as server:
        sheet = fetch("/api/v1/cas-d-usage/?page_size=1")[1]
        # Records link to SITE_URL, not to this server: the path is what counts.
        sheet_path = urllib.parse.urlsplit(json.loads(sheet)["results"][0]["url"]).path
        sheet_size = len(fetch(sheet_path)[1])
        static_path, static_size = static_of_similar_size(sheet_size)
        page = last_page("/cas-d-usage/?page=2")
        rss_start = server.worker_rss_kb()
        for name, path in targets(sheet_path, static_path):
            if (ONLY and name not in ONLY) or (only and name not in only):
                continue
            path = path.replace("page=LAST", f"page={page}")
            status, body = fetch(path)
            wrk(path, WARMUP)
            result = wrk(path, DURATION)
            result.update(path=path, status=status, size=len(body))
            rows[name] = result
            log(
                f"{label:8} {name:20} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f}  "
                f"p95 {result['p95_ms']:7.1f}  p99 {result['p99_ms']:7.1f} ms  "
                f"errors {result['errors']}  [{status}, {len(body)} B]"
            )
        rss_end = server.worker_rss_kb()
        master_kb = server.master_rss_kb()
    return {
        "rows": rows,
        "recycling": recycling,
        "master_rss_kb": master_kb,
        "rss_start_kb": rss_start,
        "rss_end_kb": rss_end,
        "static_size": static_size,
        "sheet_size": sheet_size,
    }


def memory_run(env, log_path, sheet_path):
    paths = [
        "/",
        "/cas-d-usage/",
        f"/cas-d-usage/?q={quote(COMMON_WORD)}&theme={THEME}",
        f"/cas-d-usage/?theme={THEME}&stade=experiment&page=7",
        sheet_path,
        f"/api/v1/cas-d-usage/?theme={THEME}",
    ]
    samples = []
    with Server(env, log_path, recycling=False) as server:
        wrk(paths[0], WARMUP, paths)
        samples.append((0, server.worker_rss_kb()))
        step = max(MEMORY_SECONDS // 5, 1)
        total = {"requests": 0, "errors": 0}
        for elapsed in range(step, MEMORY_SECONDS + 1, step):
            result = wrk(paths[0], step, paths)
            total["requests"] += result["requests"]
            total["errors"] += result["errors"]
            samples.append((elapsed, server.worker_rss_kb()))
            log(f"memory   {elapsed:4d} s  RSS {samples[-1][1]}  {result['rps']:.0f} req/s")
    return {"samples": samples, "paths": paths, **total}


def sqlite_run():
    path = ROOT / "var" / "bench-sqlite.db"
    env = app_env(f"sqlite:///{path}", page_cache=False)
    log(f"SQLite: {SQLITE_USE_CASES} cases in {path}")
    timings = prepare(env, SQLITE_USE_CASES, SEED)
    rows = {}
    with Server(env, ROOT / "var" / "bench-gunicorn.log", recycling=False):
        for name, url in [
            ("list", "/cas-d-usage/"),
            ("list_2_filters", f"/cas-d-usage/?theme={THEME}&stade=experiment"),
            ("search_common", f"/cas-d-usage/?q={quote(COMMON_WORD)}"),
        ]:
            wrk(url, WARMUP)
            rows[name] = {**wrk(url, DURATION), "path": url}
            log(f"sqlite   {name:20} p95 {rows[name]['p95_ms']:.1f} ms")
    return {"rows": rows, "timings": timings, "use_cases": SQLITE_USE_CASES}


def machine(pg_version):
    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    load = Path("/proc/loadavg").read_text().split()[:3]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "postgresql": pg_version,
        "python": platform.python_version(),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0],
        "load_before": load,
    }


def main():
    started = datetime.datetime.now()
    ensure_wrk()
    pg_version = ensure_database()
    env = app_env(f"{PG}/{DB}", page_cache=False)
    log(f"preparing {DB}: {USE_CASES} cases, seed {SEED}")
    timings = prepare(env, USE_CASES, SEED)
    manage(env, "collectstatic", "--noinput", "-v0")
    log_path = ROOT / "var" / "bench-gunicorn.log"
    log_path.unlink(missing_ok=True)
    results = {
        "date": started.isoformat(timespec="seconds"),
        "command": "make bench  # " + shlex.join([sys.executable, *sys.argv]),
        "settings": {
            "use_cases": USE_CASES,
            "seed": SEED,
            "duration_s": DURATION,
            "warmup_s": WARMUP,
            "connections": CONNECTIONS,
            "workers": 2,
            "recycling": "max_requests 1000 + jitter 100 (gunicorn.conf.py)",
        },
        "timings_s": timings,
        "machine": machine(pg_version),
    }
    results["no_cache"] = measure_all(env, "no cache", log_path)
    # The same targets with worker recycling off: the configuration of earlier benchmarks.
    results["no_recycling"] = measure_all(
        env, "no recyc", log_path, only=RECYCLING_TARGETS, recycling=False
    )
    results["cache"] = measure_all(app_env(f"{PG}/{DB}", page_cache=True), "cache", log_path)
    # The unfiltered counts computed on every request too: what the per-version counts save.
    results["no_counts_cache"] = measure_all(
        app_env(f"{PG}/{DB}", page_cache=False, counts_cache=False),
        "no memo",
        log_path,
        only=("home", "list", "list_1_filter", "theme_page", "static_file"),
    )
    if MEMORY_SECONDS:
        sheet = results["no_cache"]["rows"].get("sheet", {}).get("path", "/")
        results["memory"] = memory_run(env, log_path, sheet)
    if SQLITE_USE_CASES:
        results["sqlite"] = sqlite_run()
    results["machine"]["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
    write_results(results, started)


def write_results(results, started):
    from report import markdown  # bench/report.py, beside this file

    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{started:%Y-%m-%d}-{USE_CASES // 1000}k{'-' + LABEL if LABEL else ''}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    target = RESULTS / f"{stem}.md"
    notes = ""
    if target.exists() and NOTES_MARKER in target.read_text():
        notes = target.read_text().split(NOTES_MARKER, 1)[1]
    target.write_text(markdown(results) + "\n" + NOTES_MARKER + notes)
    log(f"results: {target}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
