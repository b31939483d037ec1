"""Real-browser tests: Playwright drives the system Chromium against pytest-django's live_server.

Without Chromium the tests marked ``browser`` are skipped, with a line in the terminal summary;
with ``CI=true`` they fail instead, so that CI can never pass without running them. The same
applies to axe-core (``npm ci``) for the tests that need it.
"""

import os

import pytest

from .dataset import build_catalogue
from .measure import AXE_PATH, CHROMIUM_ARGS, chromium_path

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the fixtures
# happen in that thread too, outside any coroutine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_MISSING = "Chromium introuvable : tests navigateur ignorés"
AXE_MISSING = "axe-core introuvable (lancez npm ci) : contrôles d’accessibilité ignorés"
MISSING_KEY = pytest.StashKey[int]()


def in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason):
    """Skip locally; in CI a missing tool is a failure."""
    if in_ci():
        pytest.fail(f"{reason.split(' : ')[0]} alors que CI=true : voir .ci/run", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # live_server tests flush the database when they end, data migrations' rows included: run
    # them after every other test (pytest-django has already put transactional tests last).
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    config.stash[MISSING_KEY] = len(browser_items) if chromium_path() is None else 0


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture: pytest-playwright's session browser would fail to launch otherwise.
    if item.get_closest_marker("browser") and chromium_path() is None:
        skip_or_fail(CHROMIUM_MISSING)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    missing = config.stash.get(MISSING_KEY, 0)
    if missing:
        verdict = "en échec (CI=true)" if in_ci() else "ignorés"
        terminalreporter.write_line(
            f"Tests navigateur : {missing} {verdict}, Chromium introuvable "
            "(apt-get install -y chromium).",
            yellow=not in_ci(),
            red=in_ci(),
            bold=True,
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright has no option for a custom binary: point it at Debian's Chromium."""
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _test_urls(settings):
    """Adds the test-only page that renders the 500 template."""
    settings.ROOT_URLCONF = "tests.browser.urls"


@pytest.fixture
def catalogue(live_server):
    """The realistic catalogue, in the live server's (transactional) database."""
    return build_catalogue()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_PATH.is_file():
        skip_or_fail(AXE_MISSING)
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def no_js_page(browser, live_server):
    """A page whose context has JavaScript disabled."""
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    yield context.new_page()
    context.close()
