"""After `make run`, manage.py works in the clone without exporting anything (var/dev.env)."""

import os
import shutil
import subprocess
import sys

from django.conf import settings

from bibliotheque.settings import load_development_env


def write(path, *lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_development_env(target):
    """What `make run` does first: write the development file (here at `target`)."""
    subprocess.run(
        ["make", "--no-print-directory", f"DEV_ENV={target}", str(target)],
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )


def test_make_writes_a_file_the_settings_read(tmp_path):
    target = tmp_path / "var" / "dev.env"
    make_development_env(target)
    environ = {}
    load_development_env(target, environ)
    assert environ == {"DJANGO_DEBUG": "1"}


def test_the_file_gives_defaults_that_the_environment_overrides(tmp_path):
    path = write(tmp_path / "dev.env", "# comment", "DJANGO_DEBUG=1", "SITE_URL=http://dev")
    environ = {"SITE_URL": "http://mine"}
    load_development_env(path, environ)
    assert environ == {"DJANGO_DEBUG": "1", "SITE_URL": "http://mine"}


def test_the_file_is_ignored_when_the_environment_sets_debug(tmp_path):
    """Production processes (and the tests) set DJANGO_DEBUG: the file is never read."""
    path = write(tmp_path / "dev.env", "DJANGO_DEBUG=1", "SITE_URL=http://dev")
    environ = {"DJANGO_DEBUG": "0"}
    load_development_env(path, environ)
    assert environ == {"DJANGO_DEBUG": "0"}


def test_a_file_that_does_not_turn_debug_on_is_ignored(tmp_path):
    """A production-like file (secrets, DEBUG off) left there is not a development file."""
    path = write(tmp_path / "dev.env", "DJANGO_DEBUG=0", "DJANGO_SECRET_KEY=real-secret")
    environ = {}
    load_development_env(path, environ)
    assert environ == {}


def test_settings_start_in_development_mode_from_the_file_alone(tmp_path):
    """No DJANGO_* variable at all: the settings read var/dev.env and do not ask for a key.

    The settings module is imported from a copy of the package, so that its var/ is tmp_path's.
    """
    package = tmp_path / "bibliotheque"
    package.mkdir()
    for name in ("__init__.py", "settings.py", "deployment.py"):
        shutil.copy(settings.BASE_DIR / "bibliotheque" / name, package / name)
    code = "import bibliotheque.settings as s; print(s.DEBUG, s.DATABASES['default']['NAME'])"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = str(tmp_path)

    without = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True
    )
    assert without.returncode == 1
    assert b"DJANGO_SECRET_KEY must be set" in without.stderr

    make_development_env(tmp_path / "var" / "dev.env")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().split() == ["True", str(tmp_path / "var" / "db.sqlite3")]
