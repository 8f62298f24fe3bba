# A search's phrase of two words found by the pairs of neighbouring words of each statement (statements_bigrams, in
# statements.derived), from an index of its own.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from statements import derived


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0035_headline_window"),
    ]

    operations = [
        # The digest of statements.derived's SQL when this was written (see derived.Install): the function first.
        derived.Install("ccb32bd9187e"),
        migrations.AddIndex(
            model_name="statement",
            index=django.contrib.postgres.indexes.GinIndex(
                models.Func(
                    "search_vector",
                    function="statements_bigrams",
                    output_field=django.contrib.postgres.search.SearchVectorField(),
                ),
                name="statement_bigrams",
            ),
        ),
    ]
