import json
import os
import subprocess
import threading

from diplotrack.embedded_db import _forget_dead_processes


def test_killed_processes_are_dropped_from_the_servers_users(tmp_path):
    finished = subprocess.Popen(["true"])
    finished.wait()
    handles = tmp_path / ".handle_pids.json"
    handles.write_text(json.dumps([os.getpid(), finished.pid]))
    _forget_dead_processes(tmp_path, threading.Lock())
    assert json.loads(handles.read_text()) == [os.getpid()]


def test_no_list_is_no_error(tmp_path):
    _forget_dead_processes(tmp_path, threading.Lock())
    assert not (tmp_path / ".handle_pids.json").exists()


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
