import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations


class Migration(migrations.Migration):
    """The search index also holds each statement's country (btree_gin), for searches in one country."""

    dependencies = [("statements", "0010_all_countries_counts")]

    operations = [
        BtreeGinExtension(),
        migrations.RemoveIndex(model_name="statement", name="statement_search"),
        migrations.AddIndex(
            model_name="statement",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector", "country"], name="statement_search"
            ),
        ),
    ]
