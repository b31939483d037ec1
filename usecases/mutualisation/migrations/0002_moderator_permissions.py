"""The moderators manage solutions and declarations, and read the relayed messages."""

from django.db import migrations

GROUP = "Modérateurs"
PERMISSIONS = [
    "view_solution",
    "add_solution",
    "change_solution",
    "view_solutionslughistory",
    "view_reusedeclaration",
    "change_reusedeclaration",
    "view_contactmessage",
]


def assign_permissions(Group, Permission):
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="reuse", codename__in=PERMISSIONS)
    )


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("reuse")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    assign_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="reuse", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reuse", "0001_mutualisation"),
        ("usecases", "0007_moderators_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
