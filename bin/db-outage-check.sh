#!/usr/bin/env bash
# Database outage drill (the site must answer 503, not hang), against the LOCAL PostgreSQL cluster: NOT part of the tests.
#
# Starts gunicorn on a scratch database, stops PostgreSQL, checks that pages answer 503 with
# Retry-After (never a traceback) and /sante/ 503, starts PostgreSQL again and checks that the
# same gunicorn, not restarted, answers 200 within 30 s. PostgreSQL is always restarted on exit.
#
#   bin/db-outage-check.sh        # needs .venv (make install), pg_ctlcluster, curl
#
# Stopping the cluster cuts every other client of it for a few seconds: run it on a machine
# where nobody else is using that PostgreSQL at the time.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_VERSION="$(ls /etc/postgresql)"
PG="postgres://postgres@127.0.0.1:5432"
DB="bibliotheque_outage_$$"
PORT="${OUTAGE_PORT:-8765}"
BASE="http://127.0.0.1:$PORT"
RECOVERY_LIMIT=30
WORK="$(mktemp -d)"
GUNICORN_PID=""

pg_start() { pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start; }
pg_stop() { pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main stop -m fast; }
pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q; }

cleanup() {
    status=$?
    if ! pg_ready; then
        echo "-- restarting PostgreSQL"
        pg_start || true
        for _ in $(seq 30); do pg_ready && break; sleep 1; done
    fi
    if [ -n "$GUNICORN_PID" ]; then
        kill "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    dropdb -h 127.0.0.1 -U postgres --if-exists --force "$DB" 2>/dev/null || true
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT INT TERM

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# status URL -> prints the HTTP status; headers and body land in $WORK.
status() {
    curl -s --max-time 5 -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$BASE$1" || true
}

export DJANGO_SECRET_KEY="outage-drill-only-$(date +%s)-not-a-secret-0123456789abcdefghijkl"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_LOG_FORMAT=json
export DATABASE_URL="$PG/$DB"
export GUNICORN_BIND="127.0.0.1:$PORT"
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-2}"

pg_ready || fail "PostgreSQL is not running on 127.0.0.1:5432"
echo "-- scratch database $DB"
createdb -h 127.0.0.1 -U postgres "$DB"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0

.venv/bin/gunicorn bibliotheque.wsgi:application >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 50); do [ "$(status /sante/)" = 200 ] && break; sleep 0.2; done
for path in / /cas-d-usage/ /sante/; do
    [ "$(status "$path")" = 200 ] || fail "$path does not answer 200 before the outage"
done
echo "-- before the outage: /, /cas-d-usage/, /sante/ answer 200"

t0=$(now)
pg_stop
t_stopped=$(now)
echo "-- PostgreSQL stopped in $(elapsed "$t0" "$t_stopped") s"

for path in / /cas-d-usage/ /cas-d-usage/?q=eau /sante/; do
    code=$(status "$path")
    [ "$code" = 503 ] || fail "$path answered $code during the outage, not 503"
    if grep -qi -E "traceback|OperationalError|psycopg" "$WORK/body"; then
        fail "$path leaks error details"
    fi
    if [ "$path" != /sante/ ]; then
        grep -qi '^retry-after: 30' "$WORK/headers" || fail "$path has no Retry-After: 30"
        grep -q "Service momentanément indisponible" "$WORK/body" || fail "$path: no French page"
    fi
    echo "   $path -> 503$([ "$path" != /sante/ ] && echo ', Retry-After: 30')"
done

t_start=$(now)
pg_start
t_started=$(now)
echo "-- PostgreSQL start command returned in $(elapsed "$t_start" "$t_started") s"

recovered=""
while :; do
    if [ "$(status /)" = 200 ]; then
        recovered=$(now)
        break
    fi
    if awk -v a="$t_start" -v b="$(now)" -v l="$RECOVERY_LIMIT" 'BEGIN { exit !(b - a > l) }'; then
        break
    fi
    sleep 0.2
done
[ -n "$recovered" ] || fail "no 200 within $RECOVERY_LIMIT s after PostgreSQL restarted"
for path in /cas-d-usage/ /sante/; do
    [ "$(status "$path")" = 200 ] || fail "$path does not answer 200 after recovery"
done
kill -0 "$GUNICORN_PID" || fail "gunicorn died"

echo "-- outage length (stop to start): $(elapsed "$t0" "$t_start") s"
echo "-- recovery: first 200 $(elapsed "$t_start" "$recovered") s after 'start' was issued," \
    "without restarting gunicorn"
echo "-- 503 answers logged: $(grep -c '"status":503' "$WORK/gunicorn.log" || true)," \
    "500 answers: $(grep -c '"status":500' "$WORK/gunicorn.log" || true)"
echo "OK"
