"""Gunicorn settings from the environment; gunicorn loads this file from its working directory.

GUNICORN_BIND (0.0.0.0:8000), GUNICORN_WORKERS (2 × cores + 1, at most 12), GUNICORN_TIMEOUT
(30 s), GUNICORN_GRACEFUL_TIMEOUT (30 s), GUNICORN_FORWARDED_ALLOW_IPS (127.0.0.1). The access
log and gunicorn's own messages are JSON lines on stdout/stderr, like Django's with
DJANGO_LOG_FORMAT=json.
"""

import datetime
import gc
import os
import sys
from pathlib import Path
from types import SimpleNamespace

from gunicorn import glogging

# Gunicorn reads this file before it imports the application: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bibliotheque.logging import JsonFormatter, dumps  # noqa: E402

MAX_WORKERS = 12


def _int_env(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def default_workers():
    """2 × usable cores + 1, capped: sync workers are memory-bound past that on small machines."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # Not on Linux.
        cores = os.cpu_count() or 1
    return min(2 * cores + 1, MAX_WORKERS)


class JsonLogger(glogging.Logger):
    """Gunicorn's logger with one JSON object per access and per error line."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        from bibliotheque.limits import client_address  # Once Django's settings are loaded.

        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        entry = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            # The client as every limit sees it (trusted proxies), and the raw header.
            "client": client_address(SimpleNamespace(META=environ)),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING"),
            "protocol": environ.get("SERVER_PROTOCOL"),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "referer": environ.get("HTTP_REFERER"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        # Values come from the client: dumps() keeps each request on one line (T23).
        self.access_log.info("%s", dumps({k: v for k, v in entry.items() if v is not None}))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int_env("GUNICORN_WORKERS", default_workers())
timeout = _int_env("GUNICORN_TIMEOUT", 30)
# On SIGTERM (deploy, docker stop) workers finish their requests for this long.
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded; jitter avoids a herd.
# Cheap: a worker is forked from the master, which has loaded the application and built the
# catalogue index (preload_app, when_ready), and it loads a newer index from the shared cache
# rather than building it (docs/catalogue.md; bench/results: the shipped configuration).
max_requests = 1000
max_requests_jitter = 100
preload_app = True
# Trust X-Forwarded-* only from the reverse proxy.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files on tmpfs: a container's overlay filesystem can stall them.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
accesslog = "-"
errorlog = "-"
logger_class = JsonLogger
# No runtime control socket: nothing uses gunicornc, and several instances on one host
# (tests, load runs) would otherwise share the same default socket path.
control_socket_disable = True


def _build_catalogue_index(log):
    """The current catalogue index, held by this process (usecases.listing.current_index).

    If the database does not answer, the first request builds it; a start never fails on it.
    """
    try:
        from django.conf import settings
        from django.core.cache import caches
        from django.db import connections

        from usecases.listing import current_index

        if settings.COUNTS_CACHE_SECONDS:  # Otherwise each request builds its own.
            current_index()
        # Nothing opened here may be shared with the forked workers.
        connections.close_all()
        caches.close_all()
    except Exception:  # noqa: BLE001 - a warm-up must never stop a server.
        log.warning("Catalogue index not built at start-up", exc_info=True)


def when_ready(server):
    """In the master, before the first worker is forked: build the catalogue index there.

    Every worker, recycled ones included, starts with it in memory (shared copy-on-write).
    gc.freeze() keeps the collector of each worker from writing to those shared pages.
    """
    _build_catalogue_index(server.log)
    gc.freeze()


def post_worker_init(worker):
    """Before a worker takes requests: keep the inherited index if the catalogue has not
    changed since the master built it (one query); otherwise load the current one from the
    shared cache, or build it, so that no visitor waits for it."""
    _build_catalogue_index(worker.log)
