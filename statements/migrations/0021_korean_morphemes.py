"""Korean statements are searched by their morphemes (statements.korean): a column that Python fills when a
statement is written, which the search trigger adds to the search document. Statements already stored with Korean
words get theirs here; writing them makes the trigger parse them again.
"""

from django.db import migrations

import statements.models
from statements import derived, korean

SOURCES = statements.models.MorphemesField.sources


def read_korean_statements(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, text, attribution_text, original_text FROM statements_statement "
            "WHERE concat(text, attribution_text, original_text) ~ '[가-힣]'"
        )
        rows = cursor.fetchall()
        for pk, *texts in rows:
            document = korean.document(*zip(texts, SOURCES.values(), strict=True))
            cursor.execute("UPDATE statements_statement SET search_morphemes = %s WHERE id = %s", [document, pk])


class Migration(migrations.Migration):
    dependencies = [("statements", "0020_indexes_for_searches_and_counts")]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="search_morphemes",
            field=statements.models.MorphemesField(editable=False, null=True),
        ),
        # The digest of statements.derived's SQL when this was written (see derived.Install).
        derived.Install("5de9908e89b4"),
        migrations.RunPython(read_korean_statements, migrations.RunPython.noop, elidable=True),
    ]
