"""ContributorProfile moves here from usecases: state only, the table and its rows stay as they are.

The content type moves with it, so that permissions granted on profiles and the admin's history
of their changes follow the model."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="usecases", target="accounts"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=target, model="contributorprofile").exists():
        return
    ContentType.objects.using(db).filter(app_label=source, model="contributorprofile").update(
        app_label=target
    )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="accounts", target="usecases")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("usecases", "0016_moderation_history_and_reports"),
        ("collectivites", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContributorProfile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="contributor_profile",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "collectivite",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contributors",
                                to="collectivites.collectivite",
                                verbose_name="collectivité",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "profil de contributeur",
                        "verbose_name_plural": "profils de contributeurs",
                        "db_table": "usecases_contributorprofile",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
