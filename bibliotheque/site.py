"""The site's public address, for links that leave it: e-mails, exports run from a command."""

from django.conf import settings


def absolute_url(path=""):
    """`path` ("/cas-d-usage/…") made absolute with settings.SITE_URL."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
