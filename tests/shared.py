"""The shared folder, data too big or not ours to commit: where it is, and what a test does without it.

It is ../shared beside the checkout, or where DIPLOTRACK_SHARED says. A test that reads a file of it asks
`need()` for the file: without it the test is skipped with a message saying where it was looked for, or,
when DIPLOTRACK_REQUIRE_SHARED is set (as .ci/run does), it fails, as the browser tests do without Chromium.
"""

import os
from pathlib import Path

import pytest

from diplotrack.shared_data import SAMPLES, SHARED, UNGDC  # noqa: F401 (what the tests import from here)

SAMPLE = SAMPLES / "joongang-cho-tae-yul-us-alliance.txt"


def need(path: Path, what: str) -> Path:
    """The path if it exists; if not, skip the test, or fail it where the shared data is required."""
    if path.exists():
        return path
    message = (
        f"{what} is not at {path}: the shared folder is looked for at {SHARED} "
        "(DIPLOTRACK_SHARED names another place; see its README)."
    )
    if os.environ.get("DIPLOTRACK_REQUIRE_SHARED"):
        pytest.fail(message)
    pytest.skip(message)
