"""Container health check: GET /sante/ on the local gunicorn; exit 0 when it answers 200.

Sends the first allowed host name as Host header, since Django refuses unknown hosts.
"""

import os
import sys
import urllib.error
import urllib.request


def host_header():
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main():
    port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rpartition(":")[2] or "8000"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sante/", headers={"Host": host_header()}
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"health check failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
