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
