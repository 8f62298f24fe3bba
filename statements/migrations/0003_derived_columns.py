"""Triggers that keep Statement.search_vector and Statement.topic_ids true to the rows they derive from.

Any write to a statement recomputes both: the search document (its words, the original-language words,
the attribution and the official's names; English text with the English configuration, other
languages with the simple one; accents removed) and its topic ids with their parent topics.
Changes elsewhere (a statement's topics, a topic's parent, an official's names) touch the statements
concerned so that the same trigger recomputes them.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION statements_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE FUNCTION statements_search_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (CASE WHEN language = 'en' OR language LIKE 'en-%' THEN 'pg_catalog.english'
                       ELSE 'pg_catalog.simple' END)::regconfig $$;

-- The search document of a statement: its words (weight A), the speaker's names and the attribution (B),
-- the original-language words (C).
CREATE FUNCTION statements_search_document(
    words text, original text, attribution text, official bigint, language text
) RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector(statements_search_config(language), statements_unaccent(words)), 'A')
        || setweight(to_tsvector('pg_catalog.simple', statements_unaccent(coalesce(original, ''))), 'C')
        || setweight(to_tsvector(statements_search_config(language), statements_unaccent(concat_ws(' ',
               attribution,
               (SELECT concat_ws(' ', o.name, o.native_name, array_to_string(o.other_names, ' '))
                  FROM statements_official o WHERE o.id = official)))), 'B')
$$;

-- A statement's topics and their parent topics.
CREATE FUNCTION statements_topic_closure(statement bigint) RETURNS integer[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT DISTINCT covered.id::integer
          FROM statements_statementtopic link
          JOIN statements_topic topic ON topic.id = link.topic_id,
               LATERAL unnest(ARRAY[topic.id, topic.parent_id]) AS covered(id)
         WHERE link.statement_id = statement AND covered.id IS NOT NULL
         ORDER BY 1)
$$;

CREATE FUNCTION statements_statement_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := statements_search_document(
        NEW.text, NEW.original_text, NEW.attribution_text, NEW.official_id, NEW.language);
    NEW.topic_ids := statements_topic_closure(NEW.id);
    RETURN NEW;
END $$;

CREATE TRIGGER statement_derive BEFORE INSERT OR UPDATE ON statements_statement
    FOR EACH ROW EXECUTE FUNCTION statements_statement_derive();

CREATE FUNCTION statements_statementtopic_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE statements_statement SET official_id = official_id
         WHERE id IN (SELECT statement_id FROM new_rows);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE statements_statement SET official_id = official_id
         WHERE id IN (SELECT statement_id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER statementtopic_inserted AFTER INSERT ON statements_statementtopic
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_statementtopic_changed();
CREATE TRIGGER statementtopic_updated AFTER UPDATE ON statements_statementtopic
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_statementtopic_changed();
CREATE TRIGGER statementtopic_deleted AFTER DELETE ON statements_statementtopic
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_statementtopic_changed();

CREATE FUNCTION statements_topic_parent_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statements_statement SET official_id = official_id
     WHERE id IN (SELECT statement_id FROM statements_statementtopic WHERE topic_id = NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER topic_parent_changed AFTER UPDATE OF parent_id ON statements_topic
    FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id)
    EXECUTE FUNCTION statements_topic_parent_changed();

CREATE FUNCTION statements_official_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statements_statement SET official_id = official_id WHERE official_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER official_names_changed AFTER UPDATE ON statements_official
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
                       OR OLD.native_name IS DISTINCT FROM NEW.native_name
                       OR OLD.other_names IS DISTINCT FROM NEW.other_names)
    EXECUTE FUNCTION statements_official_names_changed();
"""

REVERSE_SQL = """
DROP TRIGGER official_names_changed ON statements_official;
DROP FUNCTION statements_official_names_changed();
DROP TRIGGER topic_parent_changed ON statements_topic;
DROP FUNCTION statements_topic_parent_changed();
DROP TRIGGER statementtopic_inserted ON statements_statementtopic;
DROP TRIGGER statementtopic_updated ON statements_statementtopic;
DROP TRIGGER statementtopic_deleted ON statements_statementtopic;
DROP FUNCTION statements_statementtopic_changed();
DROP TRIGGER statement_derive ON statements_statement;
DROP FUNCTION statements_statement_derive();
DROP FUNCTION statements_topic_closure(bigint);
DROP FUNCTION statements_search_document(text, text, text, bigint, text);
DROP FUNCTION statements_search_config(text);
DROP FUNCTION statements_unaccent(text);
"""


class Migration(migrations.Migration):
    dependencies = [("statements", "0002_countries")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
