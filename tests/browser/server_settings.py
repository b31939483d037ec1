"""Production settings plus the test-only 500 page, for bin/measure-pages.py's gunicorn.

Everything else comes from the environment exactly as in production (DEBUG off, whitenoise
serving the collected, compressed and hashed static files).
"""

from bibliotheque.settings import *  # noqa: F403

ROOT_URLCONF = "tests.browser.urls"
