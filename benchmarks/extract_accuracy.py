"""Score the quotation extractor on the shared sample, the hand-annotated test articles, and the transcripts and
press releases (tests/ingest/documents), each read as the kind detected from its form.

Usage: .venv/bin/python benchmarks/extract_accuracy.py [--verbose]
"""

import datetime
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from statements.ingest import extract  # noqa: E402
from statements.ingest.scoring import score  # noqa: E402

SAMPLES = REPO.parent / "shared" / "samples"
ARTICLES = REPO / "tests" / "ingest" / "articles"
DOCUMENTS = REPO / "tests" / "ingest" / "documents"
LEVELS = (("precision", "recall", "gold", "returned"), ("char_precision", "char_recall", "char_gold", "char_returned"))


def annotated_articles() -> list[Path]:
    """Every text with an answer file next to it: the shared sample first, the test articles, then documents."""
    paths = [
        *sorted(SAMPLES.glob("*.expected.json")),
        *sorted(ARTICLES.glob("*.expected.json")),
        *sorted(DOCUMENTS.glob("*.expected.json")),
    ]
    return [path.with_name(path.name.removesuffix(".expected.json") + ".txt") for path in paths]


def score_article(path: Path) -> dict:
    """Extract the article's quotations and score them against its answer."""
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    published = expected.get("source", {}).get("published")
    text = path.read_text()
    extraction = extract(text, published=datetime.date.fromisoformat(published) if published else None)
    return score(extraction.quotations, expected, text) | {"extraction": extraction}


def main() -> None:
    verbose = "--verbose" in sys.argv
    totals = dict.fromkeys(
        ("correct", "returned", "found", "gold", "char_correct", "char_returned", "char_found", "char_gold"), 0.0
    )
    print(f"{'file':45} {'kind':10} {'precision':>9} {'recall':>7} {'char P':>7} {'char R':>7}")
    for path in annotated_articles():
        result = score_article(path)
        print(
            f"{path.name:45} {result['extraction'].kind:10} {result['precision']:9.3f} {result['recall']:7.3f} "
            f"{result['char_precision']:7.3f} {result['char_recall']:7.3f}"
        )
        for precision, recall, gold, returned in LEVELS:
            prefix = "char_" if precision.startswith("char_") else ""
            totals[prefix + "correct"] += result[precision] * result[returned]
            totals[prefix + "returned"] += result[returned]
            totals[prefix + "found"] += result[recall] * result[gold]
            totals[prefix + "gold"] += result[gold]
        if verbose:
            for quotation in result["extraction"].quotations:
                speaker = quotation.speaker.label if quotation.speaker else None
                print(f"    {quotation.kind:8} {speaker!s:35} {quotation.cue!s:15} {quotation.quote[:60]}")
    print(
        f"{'micro-average':56} {totals['correct'] / totals['returned']:9.3f} {totals['found'] / totals['gold']:7.3f} "
        f"{totals['char_correct'] / totals['char_returned']:7.3f} {totals['char_found'] / totals['char_gold']:7.3f}"
    )


if __name__ == "__main__":
    main()
