"""The Curators group: may add and change everything curated, and remove a statement's topics and citations.

Statements, officials and sources are never deleted (they are retracted or corrected); countries are
reference data that curators read.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = ["statement", "official", "organization", "position", "topic", "source", "citation", "statementtopic"]
REMOVABLE = ["position", "citation", "statementtopic"]


def create_curators(apps, schema_editor):
    # Permissions are normally created after all migrations; curators need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in CURATED for action in ("add", "change", "view")]
    codenames += [f"delete_{model}" for model in REMOVABLE] + ["view_country"]
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.set(Permission.objects.filter(content_type__app_label="statements", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("statements", "0003_derived_columns"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_curators, migrations.RunPython.noop)]
