"""How fast Korean text is indexed: KB of Korean text (UTF-8) a second read into the morphemes search stores, on
one core (statements.korean.document: what save(), the importer and generate_synthetic run for each statement).

Usage: .venv/bin/python benchmarks/korean_index.py [--kb 1000] [--runs 3]

The text: our Korean test articles (tests/ingest/korean) and the synthetic generator's Korean sentences, made into
statements of 2 to 8 sentences (as generate_synthetic makes them), to about --kb KB. Prints each run's rate, the
median and the target (100 KB/s). The analyser's load (once per process) is timed apart. Needs no database.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from statements import korean  # noqa: E402

SENTENCES = REPO / "statements" / "management" / "commands" / "korean_sentences.txt"
ARTICLES = REPO / "tests" / "ingest" / "korean"
TARGET = 100  # KB/s


def corpus(kilobytes, seed=1):
    rng = random.Random(seed)
    sentences = [line for line in SENTENCES.read_text().splitlines() if line.strip()]
    for path in ARTICLES.glob("*.txt"):
        sentences += [line.strip() for line in path.read_text().splitlines() if korean.has_hangul(line)]
    texts, size = [], 0
    while size < kilobytes * 1024:
        text = " ".join(rng.choices(sentences, k=rng.randint(2, 8)))
        texts.append(text)
        size += len(text.encode())
    return texts, size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kb", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.process_time()
    korean.analyser()
    print(f"analyser loaded in {time.process_time() - started:.2f} s of CPU")
    texts, size = corpus(args.kb)
    rates = []
    for run in range(args.runs):
        started = time.process_time()
        for text in texts:
            korean.document((text, "A"))
        seconds = time.process_time() - started
        rates.append(size / 1024 / seconds)
        print(
            f"run {run + 1}: {len(texts):,} statements, {size / 1024:,.0f} KB in {seconds:.2f} s of CPU: "
            f"{rates[-1]:,.0f} KB/s"
        )
    print(f"median {statistics.median(rates):,.0f} KB/s on one core (target {TARGET} KB/s)")


if __name__ == "__main__":
    main()
