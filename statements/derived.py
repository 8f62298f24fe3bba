"""What the database keeps by itself: the derived data, the triggers that keep it and their functions.

| kept                       | by the trigger (on the table, when)              | calling                           |
|----------------------------|--------------------------------------------------|-----------------------------------|
| Statement.search_vector    | statement_derive (statement, before each row is  | statements_search_document        |
| (1)                        | inserted or updated)                             |                                   |
| Statement.topic_ids (2)    | statement_derive                                 | statements_topic_closure          |
| Statement.published_at (4) | statement_derive                                 |                                   |
| topic_ids, when a          | statementtopic_inserted, _updated, _deleted      | statements_statementtopic_changed |
| statement's topics change  | (statement topic, after each statement)          |                                   |
| topic_ids, when a topic's  | topic_parent_changed (topic, after each row)     | statements_topic_parent_changed   |
| parent changes             |                                                  |                                   |
| search_vector, when an     | official_names_changed (official, after each row | statements_official_names_changed |
| official's names change    | whose names changed)                             |                                   |
| PublishedCount and         | statement_counted_insert, _update, _delete       | statements_count_inserted,        |
| PublishedMonth (3)         | (statement, after each statement: one aggregate  | _updated, _deleted;               |
|                            | however many rows)                               | statements_recount_published()    |
|                            |                                                  | counts from scratch               |
| OfficialCount (6)          | official_counted_insert, _update, _delete        | statements_official_count         |
|                            | (statement, after each statement)                | _inserted, _updated, _deleted;    |
|                            |                                                  | statements_recount_officials()    |
| DataVersion (5)            | statement_counted_insert, _update, _delete (a    | statements_published_data_changed |
|                            | published statement among the rows); <table>     |                                   |
|                            | _shown_changed (each table in SHOWN, after each  | statements_shown_data_changed     |
|                            | statement); document_edited_or_removed (a        |                                   |
|                            | fetched document, after each row the publisher   |                                   |
|                            | edited or removed)                               |                                   |

(1) The words (weight A), the speaker's names and the attribution (B), the original-language words (C); English
    text parsed with the English configuration, other languages with the simple one; accents removed. Then the
    Korean morphemes of the same (Statement.search_morphemes), which Python reads when a statement is written
    (statements.korean): PostgreSQL has no Korean analyser.
(2) The statement's topics and their parent topics, so that a topic filter, subtopics included, is one array test.
(3) Published statements per country ("" for none, "*" for all) and topic (0 for all), each counted under its
    topic_ids; PublishedMonth the same again for each month (the timelines). The functions that react to
    changes elsewhere touch the statements concerned (SET official_id = official_id), so that statement_derive
    runs again.
(4) When the statement last became published (from a draft, retracted, or inserted published), by the database's
    clock when the row is written: alerts send what was published since their last digest (statements.alerts).
(5) A number that changes with every change to what the public pages show: a published statement (added, edited,
    retracted), or a row of the tables they show beside it (SHOWN: officials, topics, sources...). Drafts leave it
    alone. The shared cache of public answers is keyed by it (diplotrack.caching), and their ETags carry it.
(6) Published statements per official: a country's page orders its officials by them. Triggers and functions of
    their own, beside the country and topic counts', so that a migration back from it drops them alone.

Beside them, the functions the search reads with: statements_unaccent and statements_search_config (of the search
document too), statements_headline (a result's words with the search's marked) and statements_bigrams (the pairs of
neighbouring words a phrase is found by, in the index statement_bigrams).

statement_derive parses the words again only when the search document's own columns change (words, original,
attribution, speaker, language, Korean morphemes) or search_vector is set to NULL: a touch for the topics keeps the
parsed words, so that topic links may be added after the statements at the cost of a row update, not a second parse.
A change the columns do not show (an official's names; a new search configuration, in a migration) sets
search_vector = NULL.

Every way in (save(), bulk inserts, the importer, the synthetic generator, raw SQL) goes through these triggers:
none computes derived data itself, but for the Korean morphemes, which PostgreSQL cannot read: Python reads them
when a statement is written (statements.models.MorphemesField, in save(), bulk_create() and copy_create()).

Changing one: edit the SQL here, then add a migration whose operations end with `derived.Install("<digest>")`
with the digest() of the new text; one that changes what is counted also runs `SELECT
statements_recount_published()`, one that changes the search document sets search_vector = NULL (the topic ids:
touches the statements). Older migrations keep
the text they ran (0003, 0006, 0010); an install whose digest is no longer the module's does nothing, so that a
database migrated from zero runs today's text once, in the latest migration that installs it, after every column
it reads exists.
"""

import hashlib

from django.db import connection, migrations

# Statement-level counting (0010): each statement counts under its country and "*", and under its topics and 0.
# Counters are upserted in key order, so that concurrent writers lock them in the same order.
_UPSERT = """
    INSERT INTO statements_publishedcount AS counts (country_code, topic_id, statements)
    SELECT country_code, topic_id, sum(delta) FROM changes
     GROUP BY country_code, topic_id HAVING sum(delta) <> 0
     ORDER BY country_code, topic_id
    ON CONFLICT (country_code, topic_id) DO UPDATE SET statements = counts.statements + excluded.statements;
"""
# The same changes by month (0021), in a data-modifying CTE so that the transition rows are read once.
_UPSERT_BOTH = (
    """
    , by_month AS (
        INSERT INTO statements_publishedmonth AS counts (country_code, topic_id, month, statements)
        SELECT country_code, topic_id, month, sum(delta) FROM changes
         GROUP BY country_code, topic_id, month HAVING sum(delta) <> 0
         ORDER BY country_code, topic_id, month
        ON CONFLICT (country_code, topic_id, month) DO UPDATE SET statements = counts.statements + excluded.statements
        RETURNING 1)
"""
    + _UPSERT
)
_COUNTED = """
    SELECT country_code, topic_id, date_trunc('month', date)::date AS month, {delta} AS delta
      FROM {rows}, unnest(ARRAY[coalesce(country_id, ''), '*']) AS country_code, unnest(topic_ids || 0) AS topic_id
     WHERE status = 'published'
"""
_ADDED = _COUNTED.format(delta=1, rows="new_rows")
_REMOVED = _COUNTED.format(delta=-1, rows="old_rows")

# Per official (6): each published statement counts under its official. An update that leaves the official and the
# status alone (a touch for the topics) nets to nothing and writes nothing.
_OFFICIALS_COUNTED = (
    "SELECT official_id, {delta} AS delta FROM {rows} WHERE status = 'published' AND official_id IS NOT NULL"
)
_OFFICIALS_ADDED = _OFFICIALS_COUNTED.format(delta=1, rows="new_rows")
_OFFICIALS_REMOVED = _OFFICIALS_COUNTED.format(delta=-1, rows="old_rows")
_OFFICIALS_UPSERT = """INSERT INTO statements_officialcount AS counts (official_id, statements)
    SELECT official_id, sum(delta) FROM ({changes}) AS changes
     GROUP BY official_id HAVING sum(delta) <> 0
     ORDER BY official_id
    ON CONFLICT (official_id) DO UPDATE SET statements = counts.statements + excluded.statements;"""
# The function for each kind of change, by the rows it counts: the changed rows as written, as they were, or both.
_OFFICIAL_COUNT_FUNCTIONS = "\n".join(
    f"""CREATE OR REPLACE FUNCTION statements_official_count_{change}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_OFFICIALS_UPSERT.format(changes=changes)}
    RETURN NULL;
END $$;
"""
    for change, changes in {
        "inserted": _OFFICIALS_ADDED,
        "updated": f"{_OFFICIALS_ADDED} UNION ALL {_OFFICIALS_REMOVED}",
        "deleted": _OFFICIALS_REMOVED,
    }.items()
)

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION statements_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE OR REPLACE FUNCTION statements_search_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (CASE WHEN language = 'en' OR language LIKE 'en-%' THEN 'pg_catalog.english'
                       ELSE 'pg_catalog.simple' END)::regconfig $$;

-- A search result's words with the search's marked between `start` and `stop` (statements.search.Headline), which
-- the words lose first: all of them when short, else fragments, of the whole text or, when it is longer than twice
-- `size`, of a window of it from a little before the first word that starts as one of the query's own (not negated)
-- lexemes; else of the next such word's window past it, up to three. ts_headline() reads every word of what it is
-- given: 1.9 ms for a UN speech of 12,800 characters, most of a search's page of them. Where no window holds a match
-- (a phrase, a stem that is not how the word starts), the whole text's, as before.
CREATE OR REPLACE FUNCTION statements_headline(
    config regconfig, document text, query tsquery, start text, stop text, whole_up_to integer, size integer
) RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    fragments text := format('StartSel=%s, StopSel=%s, MaxFragments=3, MinWords=12, MaxWords=30', start, stop);
    starts text;
    first integer;
    opening integer;
    part text;
    marked text;
    tried integer;
BEGIN
    document := replace(replace(document, start, ''), stop, '');  -- The marks are the headline's alone.
    IF length(document) <= whole_up_to THEN
        RETURN ts_headline(config, document, query, format('StartSel=%s, StopSel=%s, HighlightAll=true', start, stop));
    END IF;
    IF length(document) > 2 * size THEN
        SELECT '\\m(' || string_agg(regexp_replace(replace(lexeme[2], '''''', ''''), '(\\W)', '\\\\\\1', 'g'), '|')
               || ')'
          INTO starts FROM regexp_matches(query::text, '(!?)''((?:[^'']|'''')+)''', 'g') AS lexeme
         WHERE lexeme[1] = '';
        first := coalesce(regexp_instr(document, starts, 1, 1, 0, 'i'), 0);
        -- The windows of the first few such words, each past the one before.
        FOR tried IN 1..3 LOOP
            EXIT WHEN first = 0;
            opening := greatest(first - size / 5, 1);
            part := substr(document, opening, size);
            -- Whole words only, where the window cuts the text.
            IF opening > 1 THEN part := regexp_replace(part, '^\\S*\\s+', ''); END IF;
            IF opening + size <= length(document) THEN part := regexp_replace(part, '\\s+\\S*$', ''); END IF;
            marked := ts_headline(config, part, query, fragments);
            IF strpos(marked, start) > 0 THEN
                RETURN marked;
            END IF;
            first := coalesce(regexp_instr(document, starts, opening + size, 1, 0, 'i'), 0);
        END LOOP;
    END IF;
    RETURN ts_headline(config, document, query, fragments);
END
$$;

-- The pairs of lexemes that stand next to each other in a search vector ('unit state' for 'unit':1 'state':2), as a
-- vector of their own: the index statement_bigrams holds them, so that a search's phrase of two words finds its
-- matches there, where the words' index finds every statement with both words and each one's positions are then
-- checked (statements.search.matching_parts). Read from the stored positions, as a phrase (<->) is matched: the same
-- statements, whatever the vector's limits (16,383 positions, 256 a lexeme). 60 us for a synthetic statement, 1.7 ms
-- for a UN speech's 909 lexemes. Its cost tells the planner to read it from its index, never row by row.
CREATE OR REPLACE FUNCTION statements_bigrams(vector tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 1000000
    AS $$ SELECT coalesce(array_to_tsvector(array_agg(DISTINCT first.lexeme || ' ' || second.lexeme)), ''::tsvector)
            FROM (SELECT lexeme, unnest(positions) AS at FROM unnest(vector)) AS first
            JOIN (SELECT lexeme, unnest(positions) AS at FROM unnest(vector)) AS second ON second.at = first.at + 1 $$;

-- The search document of a statement: its words (weight A), the speaker's names and the attribution (B),
-- the original-language words (C).
CREATE OR REPLACE FUNCTION statements_search_document(
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
CREATE OR REPLACE FUNCTION statements_topic_closure(statement bigint) RETURNS integer[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT DISTINCT covered.id::integer
          FROM statements_statementtopic link
          JOIN statements_topic topic ON topic.id = link.topic_id,
               LATERAL unnest(ARRAY[topic.id, topic.parent_id]) AS covered(id)
         WHERE link.statement_id = statement AND covered.id IS NOT NULL
         ORDER BY 1)
$$;

CREATE OR REPLACE FUNCTION statements_statement_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.search_vector IS NULL
       OR (NEW.text, NEW.original_text, NEW.attribution_text, NEW.official_id, NEW.language, NEW.search_morphemes)
          IS DISTINCT FROM
          (OLD.text, OLD.original_text, OLD.attribution_text, OLD.official_id, OLD.language, OLD.search_morphemes) THEN
        NEW.search_vector := statements_search_document(
            NEW.text, NEW.original_text, NEW.attribution_text, NEW.official_id, NEW.language)
            || coalesce(NEW.search_morphemes, ''::tsvector);
    ELSE
        NEW.search_vector := OLD.search_vector;  -- Whatever a writer holding an older copy sends.
    END IF;
    NEW.topic_ids := statements_topic_closure(NEW.id);
    -- The clock when the row is written, not the transaction's start: never before it (statements.alerts relies
    -- on that), and distinct for statements published one after another in one transaction.
    IF NEW.status = 'published' AND (TG_OP = 'INSERT' OR OLD.status <> 'published') THEN
        NEW.published_at := clock_timestamp();
    ELSIF TG_OP = 'UPDATE' AND NEW.status = 'published' THEN
        NEW.published_at := OLD.published_at;  -- Whatever a writer holding an older copy sends.
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION statements_statementtopic_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION statements_topic_parent_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statements_statement SET official_id = official_id
     WHERE id IN (SELECT statement_id FROM statements_statementtopic WHERE topic_id = NEW.id);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION statements_official_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statements_statement SET search_vector = NULL WHERE official_id = NEW.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION statements_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH changes AS ({_ADDED}) {_UPSERT_BOTH}
    IF EXISTS (SELECT FROM new_rows WHERE status = 'published') THEN
        PERFORM statements_published_data_changed();
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION statements_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH changes AS ({_ADDED} UNION ALL {_REMOVED}) {_UPSERT_BOTH}
    -- Any change to a published statement (its words, its date...), or a statement published or retracted.
    IF EXISTS (SELECT FROM new_rows WHERE status = 'published')
       OR EXISTS (SELECT FROM old_rows WHERE status = 'published') THEN
        PERFORM statements_published_data_changed();
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION statements_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH changes AS ({_REMOVED}) {_UPSERT_BOTH}
    IF EXISTS (SELECT FROM old_rows WHERE status = 'published') THEN
        PERFORM statements_published_data_changed();
    END IF;
    RETURN NULL;
END $$;

-- Published statements per official (6).
{_OFFICIAL_COUNT_FUNCTIONS}
CREATE OR REPLACE FUNCTION statements_recount_officials() RETURNS void LANGUAGE sql AS $$
    DELETE FROM statements_officialcount;
    INSERT INTO statements_officialcount (official_id, statements)
    SELECT official_id, count(*) FROM statements_statement
     WHERE status = 'published' AND official_id IS NOT NULL
     GROUP BY 1;
$$;

-- The data version (5): one row, updated in the changing transaction, so that it is seen to change when the
-- change is (at commit), never before.
CREATE OR REPLACE FUNCTION statements_published_data_changed() RETURNS void LANGUAGE sql AS $$
    UPDATE statements_dataversion SET version = version + 1, changed_at = clock_timestamp() WHERE id = 1;
$$;

CREATE OR REPLACE FUNCTION statements_shown_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM statements_published_data_changed();
    RETURN NULL;
END $$;

-- Count from scratch: to check the counters, or after a change to what is counted.
CREATE OR REPLACE FUNCTION statements_recount_published() RETURNS void LANGUAGE sql AS $$
    DELETE FROM statements_publishedmonth;
    INSERT INTO statements_publishedmonth (country_code, topic_id, month, statements)
    SELECT country_code, topic_id, date_trunc('month', date)::date, count(*)
      FROM statements_statement,
           unnest(ARRAY[coalesce(country_id, ''), '*']) AS country_code, unnest(topic_ids || 0) AS topic_id
     WHERE status = 'published'
     GROUP BY 1, 2, 3;
    DELETE FROM statements_publishedcount;
    INSERT INTO statements_publishedcount (country_code, topic_id, statements)
    SELECT country_code, topic_id, sum(statements) FROM statements_publishedmonth GROUP BY 1, 2;
$$;
"""

TRIGGERS = """
CREATE OR REPLACE TRIGGER statement_derive BEFORE INSERT OR UPDATE ON statements_statement
    FOR EACH ROW EXECUTE FUNCTION statements_statement_derive();

CREATE OR REPLACE TRIGGER statementtopic_inserted AFTER INSERT ON statements_statementtopic
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_statementtopic_changed();
CREATE OR REPLACE TRIGGER statementtopic_updated AFTER UPDATE ON statements_statementtopic
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_statementtopic_changed();
CREATE OR REPLACE TRIGGER statementtopic_deleted AFTER DELETE ON statements_statementtopic
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_statementtopic_changed();

CREATE OR REPLACE TRIGGER topic_parent_changed AFTER UPDATE OF parent_id ON statements_topic
    FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id)
    EXECUTE FUNCTION statements_topic_parent_changed();

CREATE OR REPLACE TRIGGER official_names_changed AFTER UPDATE ON statements_official
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
                       OR OLD.native_name IS DISTINCT FROM NEW.native_name
                       OR OLD.other_names IS DISTINCT FROM NEW.other_names)
    EXECUTE FUNCTION statements_official_names_changed();

CREATE OR REPLACE TRIGGER statement_counted_insert AFTER INSERT ON statements_statement
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION statements_count_inserted();
CREATE OR REPLACE TRIGGER statement_counted_update AFTER UPDATE ON statements_statement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_count_updated();
CREATE OR REPLACE TRIGGER statement_counted_delete AFTER DELETE ON statements_statement
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION statements_count_deleted();
CREATE OR REPLACE TRIGGER official_counted_insert AFTER INSERT ON statements_statement
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION statements_official_count_inserted();
CREATE OR REPLACE TRIGGER official_counted_update AFTER UPDATE ON statements_statement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION statements_official_count_updated();
CREATE OR REPLACE TRIGGER official_counted_delete AFTER DELETE ON statements_statement
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION statements_official_count_deleted();
{SHOWN_TRIGGERS}
-- A source's page says when the publisher edited or removed it (the intake's re-checks); its other changes (each
-- fetch's bookkeeping) show nowhere, so they leave the version alone.
CREATE OR REPLACE TRIGGER document_edited_or_removed AFTER UPDATE ON statements_document
    FOR EACH ROW WHEN (OLD.edited_at IS DISTINCT FROM NEW.edited_at OR OLD.removed_on IS DISTINCT FROM NEW.removed_on)
    EXECUTE FUNCTION statements_shown_data_changed();
"""

# What the public pages show beside the statements themselves: any change to these tables changes the data version.
SHOWN = [
    "official",
    "organization",
    "position",
    "topic",
    "source",
    "citation",
    "country",
    "photo",
    "statement_mentioned_countries",
]
TRIGGERS = TRIGGERS.replace(
    "{SHOWN_TRIGGERS}",
    "".join(
        f"""
CREATE OR REPLACE TRIGGER {table}_shown_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON statements_{table}
    FOR EACH STATEMENT EXECUTE FUNCTION statements_shown_data_changed();
"""
        for table in SHOWN
    ),
)

SQL = FUNCTIONS + TRIGGERS


def recount_published():
    """Count the published statements again from scratch: PublishedCount, PublishedMonth and OfficialCount as
    their triggers would have them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statements_recount_published(); SELECT statements_recount_officials()")


def digest():
    """A short fingerprint of the SQL above: what a migration installing it names."""
    return hashlib.sha256(SQL.encode()).hexdigest()[:12]


class Install(migrations.RunSQL):
    """(Re)create the functions and triggers above, all idempotent; going back leaves them as they are.

    written_for: the digest() of the text when the migration was written. Where it is no longer the module's, a
    later migration installs today's text (a test checks that the latest one has its digest): this one does
    nothing, so that a database migrated from zero never runs a text whose columns a later migration adds.
    """

    def __init__(self, written_for):
        self.written_for = written_for
        super().__init__(SQL if written_for == digest() else migrations.RunSQL.noop, migrations.RunSQL.noop)

    def deconstruct(self):
        return self.__class__.__qualname__, [self.written_for], {}
