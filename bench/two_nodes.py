#!/usr/bin/env python3
"""Two web nodes, one PostgreSQL, one Redis: a publication through one is served by the other.

    .venv/bin/python bench/two_nodes.py        # also run by `make bench` and `make two-nodes`

1. Prepares the database TWO_NODES_DB (default bibliotheque_two_nodes; bibliotheque_bench for
   the benchmark's 100,000 cases): migrations, referential and real cases when it is new, a
   moderator with an authenticator app (TOTP) whose secret this script knows, and one
   published case archived, to be published again.
2. Starts two gunicorn nodes with production settings and the shipped gunicorn.conf.py, on two
   ports, sharing the database and Redis (CACHE_URL=redis://127.0.0.1:6379/TWO_NODES_REDIS_DB,
   2 by default, emptied first), page cache and catalogue index on as in production.
3. Node B serves the list, the theme's facet count, the sheet and the API (cached, index built).
4. The moderator signs in on node A (password, then the TOTP code) and publishes the case from
   the admin's list of cases (the « Publier » action).
5. Node B is polled every 50 ms: list total, theme facet count, sheet, API count and detail must
   all show the publication, and the counts must agree with each other and with the database,
   within TWO_NODES_DEADLINE (1 s). Prints what it saw; exits 1 if the deadline is missed.
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (bench/run.py: database, server, processes)

DB = os.environ.get("TWO_NODES_DB", "bibliotheque_two_nodes")
REDIS = f"redis://127.0.0.1:6379/{os.environ.get('TWO_NODES_REDIS_DB', '2')}"
DEADLINE = float(os.environ.get("TWO_NODES_DEADLINE", "1"))
MODERATOR = "moderation-deux-noeuds@example.org"
PASSWORD = "deux-noeuds-" + os.urandom(8).hex()
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

SETUP = """
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from usecases import services
from usecases.models import UseCase

MESSAGE = "Vérification à deux nœuds"
user = get_user_model().objects.get(email={moderator!r})
user.set_password({password!r}); user.save()
Authenticator.objects.filter(user=user).delete()
TOTP.activate(user, {secret!r})
for case in UseCase.objects.filter(status="archived", moderation_events__message=MESSAGE):
    services.use_case_publish(use_case=case, moderator=user)  # Left by an earlier run.
case = UseCase.objects.published().order_by("-published_at", "-pk").first()
services.use_case_archive(use_case=case, moderator=user, message=MESSAGE)
print(case.pk, case.slug, case.theme.slug)
"""


def log(message):
    print(f"[deux nœuds {time.strftime('%H:%M:%S')}] {message}", flush=True)


def prepare(env):
    import psycopg

    with psycopg.connect(f"{run.PG}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DB}"')
    run.manage(env, "migrate", "--noinput", "-v0")
    run.manage(env, "collectstatic", "--noinput", "-v0")
    if not exists:
        run.manage(env, "import_collectivites", "-v0")
        run.manage(env, "load_use_cases", "-v0")
    moderator_env = {**env, "DJANGO_MODERATOR_PASSWORD": PASSWORD}
    subprocess.run(
        [run.PYTHON, "manage.py", "make_moderator", MODERATOR, "--create"],
        cwd=run.ROOT, env=moderator_env, check=True, capture_output=True,
    )  # fmt: skip
    script = SETUP.format(moderator=MODERATOR, password=PASSWORD, secret=TOTP_SECRET)
    output = subprocess.run(
        [run.PYTHON, "manage.py", "shell", "-c", script],
        cwd=run.ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    pk, slug, theme = output[-3:]
    return int(pk), slug, theme


def node_env(port):
    env = run.app_env(f"{run.PG}/{DB}", page_cache=True)
    env.update(CACHE_URL=REDIS, GUNICORN_BIND=f"127.0.0.1:{port}")
    return env


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if body is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def csrf(self, path):
        _status, _headers, body = self.request(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def totp_code():
    import base64
    import hashlib
    import hmac
    import struct

    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(base64.b32decode(TOTP_SECRET), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**6:06d}"


def publish_through(base, pk):
    """Sign in on this node (password, then TOTP) and publish case `pk` from the admin."""
    browser = Browser(base)
    login = "/compte/login/"
    status, headers, _body = browser.request(
        login,
        {"csrfmiddlewaretoken": browser.csrf(login), "login": MODERATOR, "password": PASSWORD},
    )
    assert status == 302, f"login: {status}"
    second = headers["Location"]
    status, headers, _body = browser.request(
        second, {"csrfmiddlewaretoken": browser.csrf(second), "code": totp_code()}
    )
    assert status == 302, f"second factor: {status}"
    changelist = "/admin/usecases/usecase/"
    data = {
        "csrfmiddlewaretoken": browser.csrf(changelist),
        "action": "publish",
        "_selected_action": [str(pk)],
        "index": "0",
    }
    status, _headers, _body = browser.request(changelist, data)
    assert status == 302, f"publish action: {status}"


def observe(base, slug, theme):
    """What an anonymous visitor of this node sees of the catalogue and of the case."""
    fetch = Browser(base).request
    _status, _headers, page = fetch("/cas-d-usage/")
    total = re.search(r'class="results__count"[^>]*>\s*(\d[\d\u202f\xa0 ]*) cas d', page)
    facet = re.search(rf'value="{theme}"[^>]*>[^(<]*\((\d+)\)', page)
    sheet_status, _headers, _body = fetch(f"/cas-d-usage/{slug}/")
    _status, _headers, api = fetch("/api/v1/cas-d-usage/?page_size=1")
    api_detail, _headers, _body = fetch(f"/api/v1/cas-d-usage/{slug}/")
    _status, _headers, themes = fetch("/api/v1/themes/")
    theme_count = next(t["published_count"] for t in json.loads(themes) if t["slug"] == theme)
    return {
        "liste": int(re.sub(r"\D", "", total.group(1))) if total else None,
        "facette thème": int(facet.group(1)) if facet else None,
        "fiche": sheet_status,
        "API total": json.loads(api)["count"],
        "API fiche": api_detail,
        "API thème": theme_count,
    }


def published_in_database(env, theme):
    script = (
        "from usecases.models import UseCase; p = UseCase.objects.published(); "
        f"print(p.count(), p.filter(theme__slug={theme!r}).count())"
    )
    output = subprocess.run(
        [run.PYTHON, "manage.py", "shell", "-c", script],
        cwd=run.ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    return int(output[-2]), int(output[-1])


def consistent(seen, total, in_theme):
    return (
        seen["liste"] == seen["API total"] == total
        and seen["facette thème"] == seen["API thème"] == in_theme
        and seen["fiche"] == seen["API fiche"] == 200
    )


def main():
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    port_a, port_b = run.free_port(), run.free_port()
    env_a, env_b = node_env(port_a), node_env(port_b)
    log(f"database {DB}, cache {REDIS}, nodes on ports {port_a} (A) and {port_b} (B)")
    pk, slug, theme = prepare(env_a)
    total, in_theme = published_in_database(env_a, theme)
    log(f"case {pk} « {slug} » archived; published: {total}, in its theme: {in_theme}")
    logs = run.ROOT / "var"
    run.PORT = port_a
    with run.Server(env_a, logs / "two-nodes-a.log"):
        run.PORT = port_b
        with run.Server(env_b, logs / "two-nodes-b.log"):
            base_a, base_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
            before = observe(base_b, slug, theme)
            observe(base_b, slug, theme)  # Now served from the page cache.
            log(f"B before: {before}")
            assert before["fiche"] == 404 and before["liste"] == total, before
            started = time.monotonic()
            publish_through(base_a, pk)
            published = time.monotonic()
            log(f"published through A in {1000 * (published - started):.0f} ms")
            total, in_theme = total + 1, in_theme + 1
            polls = 0
            while True:
                looked = time.monotonic()  # The observation starts: what B serves from now.
                seen, polls = observe(base_b, slug, theme), polls + 1
                if consistent(seen, total, in_theme) or looked - published > DEADLINE:
                    break
                time.sleep(0.05)
            elapsed, look = looked - published, time.monotonic() - looked
            log(f"B after:  {seen}")
            seen_a = observe(base_a, slug, theme)
            log(f"A after:  {seen_a}")
    in_database = published_in_database(env_a, theme)
    log(f"database: {in_database[0]} published, {in_database[1]} in the theme")
    ok = (
        consistent(seen, total, in_theme)
        and consistent(seen_a, total, in_theme)
        and in_database == (total, in_theme)
        and elapsed <= DEADLINE
    )
    log(
        f"{'OK' if ok else 'ÉCHEC'}: {1000 * elapsed:.0f} ms after the publication through node A, "
        f"node B served it (list, theme facet, sheet, API), counts agreeing with each other and "
        f"with the database ({polls} look(s) of 6 requests, the last one {1000 * look:.0f} ms; "
        f"deadline {DEADLINE:g} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
