#!/bin/sh
# Container start: apply migrations, then run the command (gunicorn by default).
# Beyond one machine, set DJANGO_MIGRATE_ON_START=0 on the web nodes and run
# `python manage.py migrate --noinput` once per release instead (docs/deploiement.md).
set -eu

if [ "${DJANGO_MIGRATE_ON_START:-1}" = "1" ]; then
    python manage.py migrate --noinput
fi

exec "$@"
