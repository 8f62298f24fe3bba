"""Tests that read the shared folder skip without it, except in CI, where a skip would hide what was not run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared import SHARED, need

ROOT = Path(__file__).resolve().parents[1]


def test_a_file_that_is_there_is_given_back(tmp_path):
    there = tmp_path / "sample.txt"
    there.write_text("words")
    assert need(there, "The sample") == there


def test_a_missing_file_skips_the_test_and_says_where_it_was_looked_for(tmp_path, monkeypatch):
    monkeypatch.delenv("DIPLOTRACK_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        need(tmp_path / "missing.tgz", "The UN General Debate Corpus")
    assert str(skipped.value).startswith(f"The UN General Debate Corpus is not at {tmp_path / 'missing.tgz'}")
    assert str(SHARED) in str(skipped.value) and "DIPLOTRACK_SHARED" in str(skipped.value)


def test_where_the_shared_data_is_required_a_missing_file_fails_the_test(tmp_path, monkeypatch):
    monkeypatch.setenv("DIPLOTRACK_REQUIRE_SHARED", "1")
    with pytest.raises(pytest.fail.Exception, match="The UN General Debate Corpus is not at"):
        need(tmp_path / "missing.tgz", "The UN General Debate Corpus")


def test_the_shared_folder_is_beside_the_checkout_unless_the_environment_names_another(tmp_path):
    def shared_folder(**env):
        environ = {name: value for name, value in os.environ.items() if name != "DIPLOTRACK_SHARED"} | env
        command = [sys.executable, "-c", "from tests.shared import SHARED; print(SHARED)"]
        return subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, check=True).stdout

    assert shared_folder() == f"{ROOT.parent / 'shared'}\n"
    assert shared_folder(DIPLOTRACK_SHARED=str(tmp_path)) == f"{tmp_path}\n"


def test_ci_requires_the_shared_data_and_the_browser():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "export DIPLOTRACK_REQUIRE_SHARED=1" in ci and "export DIPLOTRACK_REQUIRE_BROWSER=1" in ci
    assert "set -euo pipefail" in ci
