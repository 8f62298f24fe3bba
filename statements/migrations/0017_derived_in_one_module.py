"""The triggers and their functions, (re)created from statements.derived, where their current text now lives.

The same text as 0003 and 0010 left (CREATE OR REPLACE): nothing changes in a database that has them. Later
changes go to statements.derived and are installed by a migration of their own.
"""

from django.db import migrations

from statements import derived


class Migration(migrations.Migration):
    dependencies = [("statements", "0016_curated_versions")]

    # The digest of statements.derived's SQL when this was written (see derived.Install).
    operations = [derived.Install("5a83022ff722")]
