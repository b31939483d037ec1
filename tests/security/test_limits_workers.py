"""Two real gunicorn workers share one limit through the counters' store (docs/securite.md).

Per-process counters multiplied every limit by the number of workers (a 20/min limit gave 40).
Here two sync workers answer concurrent requests from one client behind the proxy, each with a
different forged prefix, against the test database (SQLite: a file copy of it; PostgreSQL: the
test database itself, committed). The access log names the worker of each request, so the test
knows both took part. Bound to 127.0.0.1, 30 requests, a minute at most.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 10
REQUESTS = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(tmp_path):
    """A URL the gunicorn processes can open, holding the test database's tables."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        path = tmp_path / "db.sqlite3"
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{path}"
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def get(url, forwarded_for):
    request = urllib.request.Request(url, headers={"X-Forwarded-For": forwarded_for})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def two_workers(tmp_path):
    port = free_port()
    access_log = tmp_path / "access.log"
    config = tmp_path / "gunicorn.conf.py"
    config.write_text("")  # Not the project's: its JSON log has no process id.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(tmp_path),
        "CACHE_URL": "",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "API_THROTTLE_RATE": f"{LIMIT}/hour",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bibliotheque.wsgi:application",
            "--config",
            str(config),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(s)s",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", access_log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_workers_count_one_client_once(two_workers):
    base, access_log = two_workers
    url = f"{base}/api/v1/themes/"
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(
            pool.map(
                lambda number: get(url, f"10.0.{number}.1, 198.51.100.7"),
                range(REQUESTS),
            )
        )
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == REQUESTS - LIMIT
    workers = {line.split()[0] for line in access_log.read_text().splitlines()}
    assert len(workers) == 2
    # Another client behind the same proxy still has its whole allowance.
    assert get(url, "203.0.113.9") == 200
