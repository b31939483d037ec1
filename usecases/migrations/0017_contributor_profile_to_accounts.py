"""ContributorProfile now belongs to accounts (accounts 0001): forget it here, keep its table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("usecases", "0016_moderation_history_and_reports"),
        ("accounts", "0001_contributor_profile"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContributorProfile")],
            database_operations=[],
        ),
    ]
