"""Curators follow feeds: they add and change feeds, decide on the inbox's candidates, read fetched documents and
mark the flags of statements whose words were edited away."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def curators_follow_feeds(apps, schema_editor):
    # Permissions are normally created after all migrations; curators need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in ("feed", "candidate", "reviewflag") for action in ("add", "change", "view")]
    codenames += ["view_document", "change_document", "view_documentversion"]
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(*Permission.objects.filter(content_type__app_label="statements", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("statements", "0025_intake")]

    operations = [migrations.RunPython(curators_follow_feeds, migrations.RunPython.noop)]
