"""Score the quotation extractor on PolNeAR, the shared sample, the hand-annotated test articles, and the transcripts
and press releases of tests/ingest/documents (each text read as the kind detected from its form).

Usage: .venv/bin/python benchmarks/extract_accuracy.py [--verbose] [--split dev|train] [--calibrate]

PolNeAR (../shared/data/polnear) and the sample are scored with the shared scorer (../shared/tools/score_quotes.py),
as the issue measures them: characters of quotations whose mention points at the annotated speaker.
--calibrate prints, on the train split, how often each way of finding a speaker was right: the extractor's
CONFIDENCE table is made of those shares (never of dev's).
"""

import datetime
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from diplotrack.shared_data import SAMPLES  # noqa: E402
from statements.ingest import extract  # noqa: E402
from statements.ingest.polnear import (  # noqa: E402
    AS_MARKS,
    AS_SCORED,
    POLNEAR,
    READ,
    SCORER,
    calibration,
    score_polnear,
    score_sample,
)
from statements.ingest.scoring import score  # noqa: E402

ARTICLES = REPO / "tests" / "ingest" / "articles"
DOCUMENTS = REPO / "tests" / "ingest" / "documents"
# Korean articles and a briefing (statements/ingest/korean.py), scored apart so that the English figures compare.
KOREAN = REPO / "tests" / "ingest" / "korean"
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


def print_shared_scores(split: str) -> None:
    """PolNeAR and the sample article, scored by the shared scorer."""
    if not (SCORER.exists() and (POLNEAR / split).exists()):
        print(f"PolNeAR or the shared scorer not found ({POLNEAR}, {SCORER}): skipping the PolNeAR scores")
        return
    for label, doubled in (
        ("as scored", AS_SCORED),
        ("''…'' quotations returned too, as scored", READ),
        ("''…'' quotations returned, and read as quotation marks as annotated", AS_MARKS),
    ):
        figures = score_polnear(split, doubled_marks=doubled)
        print(
            f"PolNeAR {split} ({figures['articles']} articles, {label}): with speaker P={figures['precision']:.3f} "
            f"R={figures['recall']:.3f} F1={figures['f1']:.3f}; quotation marks only "
            f"P={figures['quote_precision']:.3f} R={figures['quote_recall']:.3f}"
        )
    figures = score_sample()
    print(
        f"sample article (shared scorer): with speaker P={figures['precision']:.3f} R={figures['recall']:.3f} "
        f"F1={figures['f1']:.3f}"
    )
    print()


def main() -> None:
    verbose = "--verbose" in sys.argv
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "dev"
    if "--calibrate" in sys.argv:
        for (how, kind), (count, share) in sorted(calibration("train").items(), key=lambda item: -item[1][0]):
            print(f"{how:10} {kind:13} {count:5} quotations, mention right: {share:.2f}")
        return
    print_shared_scores(split)
    print_scores(annotated_articles(), verbose)
    print()
    print("Korean (tests/ingest/korean):")
    print_scores(korean_articles(), verbose, f1=True)


def korean_articles() -> list[Path]:
    return [
        path.with_name(path.name.removesuffix(".expected.json") + ".txt") for path in KOREAN.glob("*.expected.json")
    ]


def print_scores(paths: list[Path], verbose: bool, *, f1: bool = False) -> None:
    totals = dict.fromkeys(
        ("correct", "returned", "found", "gold", "char_correct", "char_returned", "char_found", "char_gold"), 0.0
    )
    print(f"{'file':45} {'kind':10} {'precision':>9} {'recall':>7} {'char P':>7} {'char R':>7}")
    for path in sorted(paths):
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
    if f1:
        precision, recall = (
            totals["char_correct"] / totals["char_returned"],
            totals["char_found"] / totals["char_gold"],
        )
        print(f"character F1 with speaker: {2 * precision * recall / (precision + recall):.3f}")


if __name__ == "__main__":
    main()
