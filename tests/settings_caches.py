"""The test settings with the caches on, as in production (`pytest --ds=tests.settings_caches`).

CI runs its PostgreSQL pass with these (.ci/run), as production runs: every page then goes
through the anonymous page cache and the catalogue index is kept per catalogue version, so a
change that does not reach the pages, the API or the exports through the catalogue version
fails a test. The SQLite pass keeps them off: each request then computes everything afresh.
"""

from tests.settings import *  # noqa: F403

PAGE_CACHE_SECONDS = 300
COUNTS_CACHE_SECONDS = 3600
