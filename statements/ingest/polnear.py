"""Measure the extractor on the PolNeAR corpus and the shared sample with the shared scorer (../shared/tools).

The corpus and the scorer are research material kept beside the repository, never in it: this module only reads
them from where they are, for the accuracy benchmark and its tests.
"""

import contextlib
import datetime
import importlib.util
import io
import json
import re
import tempfile
from pathlib import Path

from diplotrack.shared_data import POLNEAR, SAMPLES, SHARED

from .extractor import extract
from .hygiene import undoubled

SCORER = SHARED / "tools" / "score_quotes.py"
SAMPLE = SAMPLES / "joongang-cho-tae-yul-us-alliance.txt"
SAMPLE_PUBLISHED = datetime.date(2024, 11, 12)
FIGURES_RE = re.compile(r"P=([\d.]+) R=([\d.]+) F1=([\d.]+)")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_quotes", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as file:
        return file.read()


def _figures(printed: str) -> dict:
    """The scorer's printed quote-only and with-speaker lines as numbers."""
    lines = printed.strip().splitlines()
    quote_only = next(line for line in lines if line.startswith("quote-only"))
    with_speaker = lines[-1]
    p, r, f = map(float, FIGURES_RE.search(with_speaker).groups())
    qp, qr, qf = map(float, FIGURES_RE.search(quote_only).groups())
    return {"precision": p, "recall": r, "f1": f, "quote_precision": qp, "quote_recall": qr, "quote_f1": qf}


# How to count quotations in ''…'' marks (The New York Times' style): PolNeAR's annotators marked them as quoted
# Content like any other, but the shared scorer reads only " “ ” as quotation marks, so its gold holds none of them.
# AS_SCORED: the extractor as it runs (it leaves them out); READ: they are returned too (extract's doubled_marks), each
# one counting against precision however right it is; AS_MARKS: returned, and the texts the scorer reads have their
# ''…'' made double marks (same offsets), so that its gold holds them as the annotation does.
AS_SCORED, READ, AS_MARKS = "as scored", "read", "as marks"


def score_polnear(split: str = "dev", *, doubled_marks: str = AS_SCORED) -> dict:
    """Extract every article of a PolNeAR split and score it as `score_quotes.py polnear` does; doubled_marks says
    how quotations in ''…'' marks are counted (above)."""
    if doubled_marks not in (AS_SCORED, READ, AS_MARKS):
        raise ValueError(f"doubled_marks is one of {AS_SCORED!r}, {READ!r}, {AS_MARKS!r}, not {doubled_marks!r}")
    scorer = _scorer()
    records = []
    with tempfile.TemporaryDirectory() as corpus:
        data = POLNEAR
        if doubled_marks == AS_MARKS:
            data = Path(corpus)
            (data / split / "text").mkdir(parents=True)
            (data / split / "attributions").symlink_to(POLNEAR / split / "attributions")
        for path in sorted((POLNEAR / split / "text").glob("*.txt")):
            text = _read(path)
            extraction = extract(text, doubled_marks=doubled_marks != AS_SCORED)
            quotes = [quotation.as_dict() for quotation in extraction.quotations]
            if doubled_marks == AS_MARKS:
                with open(data / split / "text" / path.name, "w", encoding="utf-8", newline="") as file:
                    file.write(undoubled(text))
            records.append(json.dumps({"file": path.name, "quotes": quotes}, ensure_ascii=False))
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as output:
            output.write("\n".join(records) + "\n")
            output.flush()
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                scorer.score_polnear(str(data), split, output.name)
    return _figures(printed.getvalue()) | {"articles": len(records)}


def calibration(split: str = "train") -> dict[tuple[str, str], tuple[int, float]]:
    """For each way of finding a speaker (found_by), how many quotations of the split's annotated quotations were
    found that way and the share whose mention is the annotated speaker's: what CONFIDENCE is made of."""
    scorer = _scorer()
    counts: dict[tuple[str, str], list[int]] = {}
    annotations: dict[str, Path] = {}
    for path in sorted((POLNEAR / split / "attributions").glob("*.ann")):
        annotations.setdefault(path.name.rsplit("_", 1)[0], path)  # the first annotator's, as the scorer does
    for article, annotation in annotations.items():
        text = _read(POLNEAR / split / "text" / f"{article}.txt")
        gold = []
        for attribution in scorer.load_ann(str(annotation)):
            segments = scorer.quoted_segments(text, attribution["content"])
            if segments:
                gold.append((scorer.chars(segments), scorer.chars(attribution["source"])))
        for quotation in extract(text).quotations:
            span = set(range(quotation.start, quotation.end))
            matches = [source for quoted, source in gold if len(span & quoted) > len(span) / 2]
            if not matches or quotation.found_by is None:
                continue
            mention = set(range(quotation.mention_start, quotation.mention_end))
            count = counts.setdefault(quotation.found_by, [0, 0])
            count[0] += 1
            count[1] += any(not source or mention & source for source in matches)
    return {key: (total, right / total) for key, (total, right) in counts.items()}


def score_sample() -> dict:
    """The shared sample article scored as `score_quotes.py seed` does."""
    scorer = _scorer()
    text = _read(SAMPLE)
    quotes = [quotation.as_dict() for quotation in extract(text, published=SAMPLE_PUBLISHED).quotations]
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as output:
        json.dump({"file": SAMPLE.name, "quotes": quotes}, output, ensure_ascii=False)
        output.flush()
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            scorer.score_seed(str(SAMPLE.with_name(SAMPLE.stem + ".expected.json")), str(SAMPLE), output.name)
    return _figures(printed.getvalue())
