"""The data version also changes when the intake finds a publisher's page edited or removed (the source's page says
so), now that fetched documents have their table (0025)."""

from django.db import migrations

from statements import derived


class Migration(migrations.Migration):
    dependencies = [("statements", "0026_intake_curators")]

    # The digest of statements.derived's SQL when this was written (see derived.Install).
    operations = [derived.Install("f61286312187")]
