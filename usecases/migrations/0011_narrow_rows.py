"""PostgreSQL: keep the rows of usecases_usecase narrow (list pages at 100,000 cases, bench/README.md).

With toast_tuple_target = 128, the long texts of a case (need, solution, results, the search
columns, even the title and summary) are compressed and stored out of line as soon as a row
exceeds ~2 kB, so that the table itself holds ~350 bytes per case instead of ~4 kB: a search
matching most of 100,000 cases reads 36 MB of rows, not 380 MB. New and updated rows follow
the setting; `VACUUM FULL usecases_usecase` rewrites the existing ones at once.
"""

from django.db import migrations


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE usecases_usecase SET (toast_tuple_target = 128)")


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE usecases_usecase RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [
        ("usecases", "0010_catalogue_indexes"),
    ]

    operations = [migrations.RunPython(narrow, reset)]
