"""Create the portal's roles as Django groups.

The names are copied here (not imported from accounts.roles) so that this migration
keeps meaning the same thing if the code changes later.
"""

from django.db import migrations

ROLE_GROUPS = ["Petugas", "Pejabat", "Evaluator Diskominfo", "Pimpinan", "Administrator"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
