"""List where the extractor loses characters on a PolNeAR split, as the shared scorer counts them, biggest first.

Usage: .venv/bin/python benchmarks/extract_errors.py [--split train] [--kind wrong|none|missed|false|all] [--top N]

Kinds of loss (characters visible to the scorer; the extractor leaves out quotations in ''…'' marks, which
it does not read):
- wrong: an annotated quotation returned with a mention that does not overlap the annotated Source;
- none: an annotated quotation returned without a mention;
- missed: annotated quoted characters no returned quotation covers;
- false: returned characters that lie in no annotated quotation.
Work from train's errors: dev is for checking that a rule does not lower it, never for finding rules.
"""

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from statements.ingest import extract  # noqa: E402
from statements.ingest.polnear import POLNEAR, SCORER, _read, _scorer  # noqa: E402

DQ = '"\u201c\u201d'


def losses(split: str) -> list[dict]:
    scorer = _scorer()
    chosen: dict[str, Path] = {}
    for path in sorted((POLNEAR / split / "attributions").glob("*.ann")):
        chosen.setdefault(path.name.rsplit("_", 1)[0], path)
    found = []
    for article, annotation in chosen.items():
        text = _read(POLNEAR / split / "text" / f"{article}.txt")

        def visible(span, text=text):
            return {i for i in span if i < len(text) and not text[i].isspace() and text[i] not in DQ}

        gold = []
        for attribution in scorer.load_ann(str(annotation)):
            segments = scorer.quoted_segments(text, attribution["content"])
            if segments:
                gold.append((visible(scorer.chars(segments)), scorer.chars(attribution["source"]), attribution))
        gold_chars = set().union(*(quoted for quoted, _, _ in gold)) if gold else set()
        covered = set()
        for quote in extract(text).quotations:
            span = visible(range(quote.start, quote.end))
            covered |= span
            mention = set(range(quote.mention_start, quote.mention_end)) if quote.mention_start is not None else set()
            right = set()
            sources = []
            for quoted, source, attribution in gold:
                if span & quoted:
                    sources.append(attribution)
                if not source or mention & source:
                    right |= quoted
            base = {"article": article, "text": text, "quote": quote, "sources": sources}
            wrong = (span & gold_chars) - right
            if wrong:
                found.append(base | {"kind": "wrong" if mention else "none", "chars": len(wrong)})
            false = span - gold_chars
            if false:
                found.append(base | {"kind": "false", "chars": len(false)})
        for quoted, _source, attribution in gold:
            missed = quoted - covered
            if missed:
                found.append(
                    {
                        "article": article,
                        "text": text,
                        "quote": None,
                        "sources": [attribution],
                        "kind": "missed",
                        "chars": len(missed),
                        "at": min(missed),
                    }
                )
    return found


def show(loss: dict) -> str:
    text, quote = loss["text"], loss["quote"]
    at = quote.start if quote else loss["at"]
    paragraph_start = text.rfind("\n", 0, at) + 1
    paragraph_end = text.find("\n", at)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    context = text[max(paragraph_start, at - 250) : min(paragraph_end, at + 300)].replace("\n", " ")
    lines = [f"[{loss['kind']} {loss['chars']}] {loss['article']} @{at}", f"  ...{context}..."]
    if quote:
        speaker = quote.speaker.label if quote.speaker else None
        lines.append(
            f"  returned: mention={quote.mention!r}@{quote.mention_start} speaker={speaker!r} by={quote.found_by} "
            f"kind={quote.kind}"
        )
    for attribution in loss["sources"]:
        source = " / ".join(text[a:b] for a, b in attribution["source"]) or "(no source)"
        lines.append(f"  gold source: {source!r}@{attribution['source'][0][0] if attribution['source'] else None}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="train")
    parser.add_argument("--kind", default="all")
    parser.add_argument("--top", type=int, default=40)
    arguments = parser.parse_args()
    if not (SCORER.exists() and (POLNEAR / arguments.split).exists()):
        sys.exit(f"PolNeAR or the shared scorer not found ({POLNEAR}, {SCORER})")
    found = losses(arguments.split)
    totals: dict[str, int] = {}
    for loss in found:
        totals[loss["kind"]] = totals.get(loss["kind"], 0) + loss["chars"]
    print("characters lost:", totals)
    chosen = [loss for loss in found if arguments.kind in ("all", loss["kind"])]
    chosen.sort(key=lambda loss: -loss["chars"])
    for loss in chosen[: arguments.top]:
        print(show(loss))


if __name__ == "__main__":
    main()
