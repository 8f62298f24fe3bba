import io

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from statements.models import Citation, Official, Source, Statement
from tests.factories import make_official, make_source, make_statement

# pg_dump and pg_restore run as processes of their own, on databases made and dropped.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def counts(cursor):
    tables = ["statements_statement", "statements_official", "statements_source", "statements_citation"]
    tables += ["statements_statementtopic", "statements_historicalstatement", "statements_country"]
    result = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {table}")
        result[table] = cursor.fetchone()[0]
    return result


@pytest.fixture(autouse=True)
def no_statement_timeout(transactional_db):
    """The commands' own setting (manage.py gives them no statement timeout), not the site's 5 s: creating and
    dropping a database wait for a checkpoint, which on a busy machine takes longer."""
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")


def drop_database(name):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_everything(tmp_path):
    official = make_official(name="Cho Tae-yul")
    source = make_source(url="https://example.com/a")
    for n in range(5):
        make_statement(text=f"Words {n}.", official=official, source=source if n % 2 else None)
    backup = tmp_path / "backup.dump"
    call_command("backup", str(backup), stdout=io.StringIO())
    assert backup.stat().st_size > 0

    restored = f"{connection.settings_dict['NAME']}_restored"
    try:
        call_command("restore", str(backup), "--into", restored, stdout=io.StringIO())
        settings = connection.settings_dict
        params = {"host": settings["HOST"] or None, "port": settings["PORT"] or None, "user": settings["USER"]}
        with psycopg.connect(dbname=restored, **params) as copy, copy.cursor() as cursor:
            with connection.cursor() as original:
                assert counts(cursor) == counts(original)
            cursor.execute("SELECT text FROM statements_statement ORDER BY id")
            assert [row[0] for row in cursor.fetchall()] == [f"Words {n}." for n in range(5)]
    finally:
        drop_database(restored)
    assert Statement.objects.count() == 5 and Official.objects.count() == 1 and Source.objects.count() == 1
    assert Citation.objects.count() == 2


def test_restoring_over_the_database_replaces_it(tmp_path):
    make_statement(text="Kept in the backup.")
    backup = tmp_path / "backup.dump"
    call_command("backup", str(backup), stdout=io.StringIO())
    make_statement(text="Made after the backup.")
    call_command("restore", str(backup), "--yes", stdout=io.StringIO())
    connection.close()
    assert list(Statement.objects.values_list("text", flat=True)) == ["Kept in the backup."]


def test_bad_backup_files_get_a_clear_message_and_change_nothing(tmp_path):
    make_statement()
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), "--yes")
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"this is not a backup")
    with pytest.raises(CommandError, match=r"junk\.dump"):
        call_command("restore", str(junk), "--yes")
    assert Statement.objects.count() == 1


def database_exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.parametrize("damage", ["not a backup", "cut short"])
def test_a_failed_restore_into_a_new_database_drops_it_so_a_retry_succeeds(tmp_path, damage):
    make_statement(text="Kept in the backup.")
    backup = tmp_path / "backup.dump"
    call_command("backup", str(backup), stdout=io.StringIO())
    bad = tmp_path / "bad.dump"
    whole = backup.read_bytes()
    bad.write_bytes(b"this is not a backup" if damage == "not a backup" else whole[: len(whole) * 3 // 4])

    restored = f"{connection.settings_dict['NAME']}_retried"
    try:
        with pytest.raises(CommandError) as failure:
            call_command("restore", str(bad), "--into", restored, stdout=io.StringIO())
        assert not database_exists(restored)
        assert str(bad) in str(failure.value) and f"{restored} was dropped" in str(failure.value)

        call_command("restore", str(backup), "--into", restored, stdout=io.StringIO())
        settings = connection.settings_dict
        params = {"host": settings["HOST"] or None, "port": settings["PORT"] or None, "user": settings["USER"]}
        with psycopg.connect(dbname=restored, **params) as copy:
            texts = copy.execute("SELECT text FROM statements_statement").fetchall()
        assert texts == [("Kept in the backup.",)]
    finally:
        drop_database(restored)
