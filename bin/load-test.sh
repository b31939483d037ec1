#!/usr/bin/env bash
# Load test with wrk: a mix of home, filtered list, search and sheets, on THIS machine.
#
#   bin/load-test.sh [BASE_URL] [DURATION] [CONNECTIONS]
#   bin/load-test.sh http://127.0.0.1:8000 2m 20
#
# Start the site first with production settings (gunicorn, DEBUG off, PostgreSQL with data),
# with 127.0.0.1 in DJANGO_ALLOWED_HOSTS and DJANGO_SECURE_SSL_REDIRECT=0. wrk comes from
# Debian's packages (apt-get install -y wrk). Only 127.0.0.1/localhost may be targeted.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE="${1:-http://127.0.0.1:8000}"
DURATION="${2:-2m}"
CONNECTIONS="${3:-20}"
THREADS=2

case "$BASE" in
    http://127.0.0.1:* | http://127.0.0.1 | http://localhost:* | http://localhost) ;;
    *)
        echo "Refused: $BASE is not this machine (http://127.0.0.1:PORT)." >&2
        exit 2
        ;;
esac
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/sante/" || true)
[ "$status" = 200 ] || { echo "$BASE/sante/ answers '$status', not 200." >&2; exit 1; }

# A few published sheets, taken from the first page of the catalogue.
LOAD_TEST_SHEETS=$(curl -s "$BASE/cas-d-usage/" \
    | grep -o 'href="/cas-d-usage/[a-z0-9-]*/"' | sed 's|href="/cas-d-usage/||; s|/"||' \
    | sort -u | head -10 | paste -sd, -)
export LOAD_TEST_SHEETS
echo "-- $BASE for $DURATION, $CONNECTIONS connections, $THREADS threads;" \
    "sheets: $(echo "$LOAD_TEST_SHEETS" | tr ',' '\n' | grep -c . || true)"

wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 10s --latency \
    -s bin/load-test.lua "$BASE"
