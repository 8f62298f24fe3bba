"""Where the shared data lives (corpora too big or not ours to commit): ../shared beside the checkout, or where
DIPLOTRACK_SHARED says. Plain Python, so that the extractor's scorer, the benchmarks and the tests all ask here."""

import os
from pathlib import Path

SHARED = Path(os.environ.get("DIPLOTRACK_SHARED") or Path(__file__).resolve().parents[2] / "shared")
SAMPLES = SHARED / "samples"
UNGDC = SHARED / "data" / "ungdc"
POLNEAR = SHARED / "data" / "polnear"
