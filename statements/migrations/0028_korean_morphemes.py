"""Korean statements are searched by their morphemes (statements.korean): a column that Python fills when a
statement is written, which the search trigger adds to the search document. Statements already stored with Korean
words get theirs here; writing them makes the trigger parse them again.
"""

from django.db import migrations

import statements.models
from statements import derived, korean

SOURCES = statements.models.MorphemesField.sources
# Going back: the trigger function as 0024 installed it, which reads no search_morphemes, before the column goes.
DERIVE_BEFORE = """
CREATE OR REPLACE FUNCTION statements_statement_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.search_vector IS NULL
       OR (NEW.text, NEW.original_text, NEW.attribution_text, NEW.official_id, NEW.language)
          IS DISTINCT FROM (OLD.text, OLD.original_text, OLD.attribution_text, OLD.official_id, OLD.language) THEN
        NEW.search_vector := statements_search_document(
            NEW.text, NEW.original_text, NEW.attribution_text, NEW.official_id, NEW.language);
    ELSE
        NEW.search_vector := OLD.search_vector;  -- Whatever a writer holding an older copy sends.
    END IF;
    NEW.topic_ids := statements_topic_closure(NEW.id);
    IF NEW.status = 'published' AND (TG_OP = 'INSERT' OR OLD.status <> 'published') THEN
        NEW.published_at := clock_timestamp();
    ELSIF TG_OP = 'UPDATE' AND NEW.status = 'published' THEN
        NEW.published_at := OLD.published_at;
    END IF;
    RETURN NEW;
END $$;
"""


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
    dependencies = [("statements", "0027_version_follows_documents")]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="search_morphemes",
            field=statements.models.MorphemesField(editable=False, null=True),
        ),
        migrations.RunSQL(migrations.RunSQL.noop, DERIVE_BEFORE),
        # The digest of statements.derived's SQL when this was written (see derived.Install).
        derived.Install("771b439dc000"),
        migrations.RunPython(read_korean_statements, migrations.RunPython.noop, elidable=True),
    ]
