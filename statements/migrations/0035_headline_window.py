# A search result's headline from a window of a long text around its first match (statements_headline).

from django.db import migrations

from statements import derived


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0034_official_counts"),
    ]

    operations = [
        # The digest of statements.derived's SQL when this was written (see derived.Install).
        derived.Install("b3446afdddbf"),
    ]
