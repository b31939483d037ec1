"""The table of the database cache that holds rate-limit counters (bibliotheque.cache).

`migrate` thus creates it everywhere the schema is created: `make run`, the container's
entrypoint, the test databases. createcachetable skips a table that exists and Redis caches.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
