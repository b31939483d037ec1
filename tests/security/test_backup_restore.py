"""Backup and restore round trip with pg_dump -Fc and pg_restore (docs/deploiement.md).

The procedure is the one of docs/deploiement.md: dump the database, restore it into a fresh
empty database, and find the same content there.
"""

import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection

from tests.factories import CollectiviteFactory, ResourceFactory, UseCaseFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump/pg_restore round trip: needs PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump and pg_restore are not installed",
    ),
]

# Tables whose rows must all come back, and the columns compared value by value.
TABLES = {
    "usecases_usecase": "id, slug, title, summary, status, published_at, search_vector::text",
    "usecases_theme": "id, slug, name",
    "usecases_technique": "id, slug",
    "usecases_resource": "id, use_case_id, title, url",
    "collectivites_collectivite": "id, slug, name, code",
    "taggit_tag": "id, name, slug",
    "taggit_taggeditem": "id, tag_id, object_id",
    "usecases_usecase_techniques": "id, usecase_id, technique_id",
    "django_migrations": "app, name",
}


def libpq_args(settings_dict):
    args = ["-h", settings_dict["HOST"] or "localhost", "-p", str(settings_dict["PORT"] or 5432)]
    if settings_dict["USER"]:
        args += ["-U", settings_dict["USER"]]
    return args


def snapshot(cursor):
    return {
        table: cursor.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
        for table, columns in TABLES.items()
    }


@pytest.mark.django_db(transaction=True)
def test_pg_dump_then_pg_restore_gives_back_the_same_catalogue(tmp_path):
    first = UseCaseFactory(
        published=True,
        title="Détecter les fuites d’eau",
        summary="Des capteurs et un modèle repèrent « les fuites » avant qu’elles ne coûtent.",
        collectivite=CollectiviteFactory(name="Saint-Étienne-en-Coglès"),
        techniques=["vision-par-ordinateur"],
        tags=["eau", "réseaux"],
    )
    UseCaseFactory.create_batch(3, published=True, tags=["énergie"])
    UseCaseFactory(title="Un brouillon")
    ResourceFactory(use_case=first, title="Délibération du conseil")

    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    dump = tmp_path / "bibliotheque.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "--no-acl", *libpq_args(db), "-f", dump, db["NAME"]],
        check=True,
        env=env,
        timeout=120,
    )
    assert dump.stat().st_size > 0

    restored = f"{db['NAME']}_restauration_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *libpq_args(db), "-T", "template0", restored], check=True, env=env)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", *libpq_args(db)]
            + ["-d", restored, dump],
            check=True,
            env=env,
            timeout=120,
        )
        with connection.cursor() as cursor:
            original = snapshot(cursor.cursor)
        conninfo = psycopg.conninfo.make_conninfo(
            host=db["HOST"] or "localhost",
            port=db["PORT"] or 5432,
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            dbname=restored,
        )
        with psycopg.connect(conninfo) as copy:
            copied = snapshot(copy.cursor())
            title, summary, vector = copy.execute(
                "SELECT title, summary, search_vector IS NOT NULL FROM usecases_usecase "
                "WHERE slug = %s",
                [first.slug],
            ).fetchone()
            # The French search still works in the restored database (config and extension).
            (found,) = copy.execute(
                "SELECT count(*) FROM usecases_usecase WHERE search_vector @@ "
                "to_tsquery('french_unaccent', 'fuite:*')"
            ).fetchone()
    finally:
        subprocess.run(["dropdb", *libpq_args(db), "--if-exists", "--force", restored], env=env)

    assert copied == original
    assert len(copied["usecases_usecase"]) == 5
    assert len(copied["usecases_theme"]) == 6
    assert (title, summary, vector) == (first.title, first.summary, True)
    assert found == 1
