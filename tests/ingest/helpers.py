"""Shared helpers for the ingest tests: run the extractor and read back what matters."""

import datetime

from statements.ingest import Extraction, extract

PUBLISHED = datetime.date(2024, 11, 12)  # a Tuesday


def run(text: str, published: datetime.date | None = PUBLISHED, **options) -> Extraction:
    return extract(text, published=published, **options)


def triples(text: str, published: datetime.date | None = PUBLISHED, **options) -> list[tuple[str, str | None, str]]:
    """(quote, speaker label, kind) for every quotation found."""
    return [
        (quotation.quote, quotation.speaker.label if quotation.speaker else None, quotation.kind)
        for quotation in run(text, published, **options).quotations
    ]


def article(body: str) -> str:
    """A body under a headline, as pasted from a news page."""
    return "Officials discuss alliance\n" + body.strip() + "\n"
