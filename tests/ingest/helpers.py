"""Shared helpers for the ingest tests: run the extractor and read back what matters."""

import datetime
import os

import pytest

from statements.ingest import Extraction, extract

PUBLISHED = datetime.date(2024, 11, 12)  # a Tuesday


def run(text: str, published: datetime.date | None = PUBLISHED) -> Extraction:
    return extract(text, published=published)


def triples(text: str, published: datetime.date | None = PUBLISHED) -> list[tuple[str, str | None, str]]:
    """(quote, speaker label, kind) for every quotation found."""
    return [
        (quotation.quote, quotation.speaker.label if quotation.speaker else None, quotation.kind)
        for quotation in run(text, published).quotations
    ]


def article(body: str) -> str:
    """A body under a headline, as pasted from a news page."""
    return "Officials discuss alliance\n" + body.strip() + "\n"


def require_shared(*paths) -> None:
    """Skip when ../shared material is missing here; in CI (which has it) a missing file is a failure."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        message = f"shared material not found: {', '.join(missing)} (see ../shared/README.md)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
