"""Structured logs keep user input inside one escaped JSON field: no forged log line."""

import datetime
import io
import json
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from bibliotheque.logging import JsonFormatter, dumps

BASE_DIR = Path(__file__).resolve().parents[2]
FORGED = "bob\n2026-01-01 INFO admin logged in\r\x1b[2J\x85\u2028\u2029fin"


@pytest.fixture
def json_log():
    """A logger writing JSON lines to a buffer; yields (logger, buffer)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def lines_of(stream):
    return stream.getvalue().splitlines()


def test_dumps_escapes_every_line_breaking_character():
    text = dumps({"user": FORGED})
    assert len(text.splitlines()) == 1
    for raw in ("\n", "\r", "\x1b", "\x85", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == {"user": FORGED}


def test_dumps_keeps_french_text_readable():
    assert dumps({"m": "Détecter les fuites d’eau"}) == '{"m":"Détecter les fuites d’eau"}'


def test_forged_log_line_stays_one_escaped_field(json_log):
    """A user name carrying a fake log line is logged as one JSON object."""
    logger, stream = json_log
    logger.warning("Échec de connexion pour %s", FORGED, extra={"username": FORGED})
    (line,) = lines_of(stream)
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "tests.json"
    assert entry["message"] == f"Échec de connexion pour {FORGED}"
    assert entry["username"] == FORGED
    assert datetime.datetime.fromisoformat(entry["time"]).utcoffset() == datetime.timedelta(0)


def test_exceptions_are_inside_the_json_object(json_log):
    logger, stream = json_log
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("Échec")
    (line,) = lines_of(stream)
    assert "ValueError: boom" in json.loads(line)["exception"]


@pytest.mark.django_db
def test_request_path_with_newline_is_logged_on_one_line(client):
    """Django's 404 warning for a path holding %0A stays one line with method and path."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    request_logger = logging.getLogger("django.request")
    request_logger.addHandler(handler)
    try:
        response = client.get("/cas-d-usage/x%0A2026-01-01 INFO admin logged in/")
    finally:
        request_logger.removeHandler(handler)
    assert response.status_code == 404
    (line,) = lines_of(stream)
    entry = json.loads(line)
    assert entry["method"] == "GET"
    assert entry["path"] == "/cas-d-usage/x\n2026-01-01 INFO admin logged in/"
    assert entry["status_code"] == 404


@pytest.fixture
def gunicorn_config(monkeypatch):
    for name in ("GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))


def test_gunicorn_defaults(gunicorn_config):
    """2 × cores + 1 workers, capped; timeouts set; logs on the standard streams."""
    assert 3 <= gunicorn_config["workers"] <= gunicorn_config["MAX_WORKERS"]
    assert gunicorn_config["timeout"] == 30
    assert gunicorn_config["graceful_timeout"] == 30
    assert gunicorn_config["accesslog"] == gunicorn_config["errorlog"] == "-"


def test_gunicorn_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    assert runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["workers"] == 5


def test_gunicorn_access_log_is_one_json_line_per_request(gunicorn_config, settings):
    """The access log carries the client's address (as the limits see it behind the trusted
    proxy), path and agent escaped in a JSON object."""
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    access_logger = gunicorn_config["JsonLogger"](config)
    stream = io.StringIO()
    for handler in access_logger.access_log.handlers:
        handler.stream = stream
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/cas-d-usage/\n127.0.0.1 - - GET /admin/ 200",
        "QUERY_STRING": "q=eau",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7",
        "HTTP_USER_AGENT": FORGED,
    }
    settings.TRUSTED_PROXY_COUNT = 1
    response = SimpleNamespace(status="404 Not Found", sent=1234, headers=[])
    access_logger.access(response, None, environ, datetime.timedelta(milliseconds=12))
    (line,) = lines_of(stream)
    entry = json.loads(line)
    assert entry["status"] == 404
    assert entry["client"] == "198.51.100.7"  # The spoofable left-hand entry is not trusted.
    assert entry["forwarded_for"] == "203.0.113.9, 198.51.100.7"
    assert entry["path"] == environ["PATH_INFO"]
    assert entry["user_agent"] == FORGED
    assert entry["duration_ms"] == 12.0
