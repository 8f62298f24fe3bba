"""The derived data's SQL lives in statements.derived, and the database runs that text."""

import re

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from statements import derived


def installed():
    """The statements functions' and the triggers' definitions in the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, prosrc, provolatile, proparallel, proisstrict FROM pg_proc "
            "WHERE proname LIKE 'statements\\_%%' ORDER BY proname"
        )
        functions = cursor.fetchall()
        # procrastinate's own triggers (the intake's job queue) are its migrations', not statements.derived's.
        cursor.execute(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
            "AND tgname NOT LIKE 'procrastinate\\_%%' ORDER BY tgname"
        )
        return functions, cursor.fetchall()


def test_the_latest_migration_installing_the_derived_sql_was_written_for_its_text():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = loader.graph.forwards_plan(loader.graph.leaf_nodes("statements")[0])
    installs = [
        (name, operation.written_for)
        for app, name in plan
        if app == "statements"
        for operation in loader.graph.nodes[app, name].operations
        if isinstance(operation, derived.Install)
    ]
    assert installs, "No migration installs statements.derived."
    name, written_for = installs[-1]
    assert written_for == derived.digest(), (
        f"statements.derived's SQL changed since {name}: add a migration with derived.Install({derived.digest()!r})."
    )


@pytest.mark.django_db
def test_the_database_runs_the_modules_text():
    before = installed()
    with connection.cursor() as cursor:
        cursor.execute(derived.SQL)
    assert installed() == before
    functions, triggers = before
    created = set(re.findall(r"CREATE OR REPLACE (?:FUNCTION|TRIGGER) (\w+)", derived.SQL))
    assert {row[0] for row in functions} | {row[0] for row in triggers} == created


def test_each_trigger_and_function_is_in_the_modules_table():
    table = derived.__doc__.split("\n\n(1)")[0]
    for name in re.findall(r"CREATE OR REPLACE (?:FUNCTION|TRIGGER) (\w+)", derived.SQL):
        if name.endswith("_shown_changed"):  # One for each table the pages show (SHOWN), named once.
            assert name.removesuffix("_shown_changed") in derived.SHOWN and "shown_changed" in table, name
        elif name not in {  # The search's, named after the table.
            "statements_unaccent",
            "statements_search_config",
            "statements_headline",
            "statements_bigrams",
        }:
            prefix, _, suffix = name.rpartition("_")
            assert name in table or (prefix in table and f"_{suffix}" in table), name
