import json
import os
import subprocess
import threading

import pytest

from diplotrack.embedded_db import _forget_dead_processes


def test_killed_processes_are_dropped_from_the_servers_users(tmp_path):
    finished = subprocess.Popen(["true"])
    finished.wait()
    handles = tmp_path / ".handle_pids.json"
    handles.write_text(json.dumps([os.getpid(), finished.pid]))
    _forget_dead_processes(tmp_path, threading.Lock())
    assert json.loads(handles.read_text()) == [os.getpid()]


@pytest.mark.parametrize("exiting", [False, True])
def test_a_list_cut_short_by_a_killed_writer_is_no_error(tmp_path, exiting):
    handles = tmp_path / ".handle_pids.json"
    handles.write_text("")
    _forget_dead_processes(tmp_path, threading.Lock(), exiting=exiting)
    # An exiting process is then the last known user, and stops the server.
    assert json.loads(handles.read_text()) == ([os.getpid()] if exiting else [])


def test_no_list_is_no_error(tmp_path):
    _forget_dead_processes(tmp_path, threading.Lock())
    assert not (tmp_path / ".handle_pids.json").exists()


@pytest.mark.slow
def test_a_process_stopped_with_sigterm_still_stops_the_server_it_started(tmp_path):
    import signal
    import sys
    import time
    from pathlib import Path

    pgdata = tmp_path / "pgdata"
    script = (
        "import sys, time; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
        "from diplotrack.embedded_db import database_url; database_url(Path(sys.argv[1])); print('up', flush=True);"
        "time.sleep(120)"
    )
    root = str(Path(__file__).resolve().parents[1])
    process = subprocess.Popen([sys.executable, "-c", script, str(pgdata), root], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "up"
    assert (pgdata / "postmaster.pid").exists()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while (pgdata / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not (pgdata / "postmaster.pid").exists()


@pytest.mark.slow
def test_a_process_whose_child_was_killed_outright_still_stops_the_server(tmp_path):
    """As when Django's autoreloader, stopped with SIGTERM, SIGKILLs the runserver process it started."""
    import sys
    from pathlib import Path

    pgdata = tmp_path / "pgdata"
    root = str(Path(__file__).resolve().parents[1])
    join = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
        "from diplotrack.embedded_db import database_url; database_url(Path(sys.argv[1]))"
    )
    parent = join + (
        "; import subprocess, signal\n"
        "child = subprocess.Popen([sys.executable, '-c', sys.argv[3], *sys.argv[1:3]],"
        " stdout=subprocess.PIPE, text=True)\n"
        "assert child.stdout.readline().strip() == 'up'\n"
        "child.send_signal(signal.SIGKILL); child.wait()"
    )
    child = join + "; print('up', flush=True); import time; time.sleep(120)"
    subprocess.run([sys.executable, "-c", parent, str(pgdata), root, child], check=True, timeout=120)
    assert not (pgdata / "postmaster.pid").exists()
