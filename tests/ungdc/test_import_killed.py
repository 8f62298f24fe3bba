"""An import killed in the middle of a session leaves nothing of that session; running it again completes it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from statements.models import Citation, Source, Statement
from tests.ungdc.ungdc_corpus import speech_path, write_corpus, write_speakers

ROOT = Path(__file__).resolve().parents[2]
# Imports run as processes of their own, killed and run again.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def database_url():
    """The test database's URL, for a process of its own."""
    settings = connection.settings_dict
    host = quote(settings["HOST"] or "", safe="")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{quote(settings['USER'])}{password}@{host}{port}/{settings['NAME']}"


def connect(**options):
    settings = connection.settings_dict
    params = {"host": settings["HOST"] or None, "port": settings["PORT"] or None, "user": settings["USER"]}
    return psycopg.connect(dbname=settings["NAME"], password=settings["PASSWORD"] or None, **params, **options)


def wait_until_blocked(monitor, process, timeout=60):
    """Wait until the import's database session waits for a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"The import ended first: {process.stderr.read().decode()[-2000:]}")
        row = monitor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND pid <> pg_backend_pid()"
        ).fetchone()
        if row[0]:
            return
        time.sleep(0.1)
    raise AssertionError("The import never reached the locked table.")


def test_a_killed_import_leaves_no_half_session_and_a_rerun_completes_it(tmp_path):
    speeches = {speech_path(code, 2024): f"Speech of {code} on peace and development." for code in ["KOR", "JPN"]}
    corpus = write_corpus(tmp_path / "corpus", speeches)
    sheet = write_speakers(
        tmp_path / "speakers.xlsx",
        [(2024, "KOR", "Republic of Korea", "Tae-yul Cho", "Minister of Foreign Affairs")],
    )
    environment = os.environ | {
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "tests-only",
        "ALLOWED_HOSTS": "localhost",
        "DEBUG": "",
    }
    command = [sys.executable, "manage.py", "import_ungdc", str(corpus), "--speakers", str(sheet)]

    # Hold the citations table, which the import writes last in a session, then kill the import there.
    # The monitor reads pg_stat_activity outside a transaction, which would freeze it at its first read.
    with connect() as blocker, connect(autocommit=True) as monitor:
        blocker.execute("LOCK TABLE statements_citation IN ACCESS EXCLUSIVE MODE")
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_until_blocked(monitor, process)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        blocker.rollback()

    assert (Statement.objects.count(), Source.objects.count(), Citation.objects.count()) == (0, 0, 0)

    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert Statement.objects.count() == 2
    assert Citation.objects.count() == 2
    assert Statement.objects.get(country="KR").official.name == "Tae-yul Cho"
