import os
import re
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import make_curator

# Some tests start PostgreSQL servers of their own in tmp_path, run as another user for whom the package opens
# the folders above. Any pytest starting on the machine closes /tmp/pytest-of-<user> again, which locked such a
# test out of its own server mid-run (another checkout's run, on this shared machine). This checkout's runs keep
# their temporary folders in its var/ instead.
if "PYTEST_DEBUG_TEMPROOT" not in os.environ:
    TEMPROOT = Path(__file__).resolve().parents[1] / "var" / "tmp"
    TEMPROOT.mkdir(parents=True, exist_ok=True)
    os.environ["PYTEST_DEBUG_TEMPROOT"] = str(TEMPROOT)


@pytest.fixture(scope="session", autouse=True)
def _tidy_test_databases(django_db_setup, django_db_blocker):
    """Drop test databases left by killed runs; at the end, end stray sessions so ours can be dropped.

    Only on the embedded server, whose every client runs on this machine: a test database of a run that no
    longer exists here is garbage. A shared server's databases may belong to runs elsewhere.
    """
    embedded = not os.environ.get("DATABASE_URL")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%%'")
        for (name,) in cursor.fetchall():
            match = re.fullmatch(r"test_.+_(\d+)", name)
            if embedded and match and not _running(int(match.group(1))):
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # Threads of the live test server can still hold connections when the run ends.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture
def curator(db):
    return make_curator()


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def behind_a_proxy(settings):
    """One trusted proxy in front of the site (TRUSTED_PROXY_COUNT=1): the proxy's REMOTE_ADDR, to pass to requests."""
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}
    return {"REMOTE_ADDR": "192.0.2.10"}
