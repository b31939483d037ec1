"""The « Modérateurs » group, with just the permissions moderation needs."""

from django.db import migrations

GROUP = "Modérateurs"
PERMISSIONS = {
    "usecases": [
        "view_usecase",
        "change_usecase",
        "view_submission",
        "change_submission",
        "view_usecaserevision",
        "change_usecaserevision",
        "view_moderationevent",
        "view_resource",
        "add_resource",
        "change_resource",
        "delete_resource",
        "view_keyfigure",
        "add_keyfigure",
        "change_keyfigure",
        "delete_keyfigure",
        "view_theme",
        "view_technique",
        "view_errorreport",
        "change_errorreport",
        "view_usecaseslughistory",
    ],
    "collectivites": [
        "view_collectivite",
        "add_collectivite",
        "change_collectivite",
        "view_region",
        "view_departement",
    ],
    "taggit": ["view_tag", "add_tag", "change_tag", "view_taggeditem"],
    "auth": ["view_user"],
}


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    assign_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def assign_permissions(Group, Permission):
    group, _created = Group.objects.get_or_create(name=GROUP)
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codenames in PERMISSIONS.items()
        for codename in codenames
    ]
    group.permissions.set(permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("usecases", "0006_moderation_queue"),
        ("collectivites", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
