#!/bin/sh
# Container start: apply migrations, then run the command (gunicorn by default).
# Beyond one machine, set DJANGO_MIGRATE_ON_START=0 on the web nodes and run
# `python manage.py migrate --noinput` once per release instead (docs/deploiement.md).
set -eu

if [ "${DJANGO_MIGRATE_ON_START:-1}" = "1" ]; then
    python manage.py migrate --noinput
    # The rate-limit counters' table without CACHE_URL (migrate creates it too; this covers a
    # switch from Redis back to the database after the migrations ran). Nothing with Redis.
    python manage.py createcachetable
fi

exec "$@"
