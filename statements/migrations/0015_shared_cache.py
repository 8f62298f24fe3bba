"""The cache table that every worker and machine shares (the API's rate limit counts in it) unless REDIS_URL is set.

Made by `migrate`, so that a fresh database (development, tests, CI, production) needs no other step.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "diplotrack_cache"  # settings.CACHES["default"]["LOCATION"]


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("statements", "0014_text_control_characters")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
