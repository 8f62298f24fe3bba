"""Relevance-sorted searches drawn from speeches the benchmark's statements were not made of, over HTTP, at 1M.

    .venv/bin/python benchmarks/phrases.py [--searches 40] [--requests 5] [--seed 7] [--since 2000]

explorer.py times one phrase, `"nuclear weapons" -iran`, whose 9,494 matches are among the most a phrase has there.
This draws --searches pairs of neighbouring words from the UN General Debate speeches of 1946-2013 (the synthetic
statements are made of those of 2014-2024: `manage.py generate_synthetic`), from --since on, at random (--seed): each
pair whose two words are both searched (not English stop words) is asked for as a phrase (`q="a b"`) and as two words
(`q=a b`), sorted by relevance, with its counts and facets. Each request over HTTP as explorer.py --http asks
(gunicorn, production settings, one worker, the shared cache of answers off): the median of --requests runs after one
warm-up.
Printed: each search with its matches (as the page counts them), then the medians, 90th percentiles and the share
within issue 18's 35 ms, for all and by how many matches. This machine is shared and noisy: compare runs made close
together.
"""

import argparse
import itertools
import random
import re
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import explorer  # noqa: E402

HELD_OUT = ROOT.parent / "shared" / "data" / "ungdc" / "UNGDC_1946-2013.tgz"
TARGET_MS = 35
WORD = re.compile(r"[A-Za-z]{3,}")
BUCKETS = [(0, 999), (1_000, 4_999), (5_000, 24_999), (25_000, None)]


def word_pairs(corpus, since, rng, wanted):
    """Neighbouring words of the speeches from `since` on, as written (lower case): a sample of `wanted` × 20, the
    pairs rng.sample() draws from the list of them all, without holding that list (1 GB for 1946-2013): the archive
    is read twice, to count the pairs, then to keep those drawn (rng.sample chooses by position alone)."""
    count = sum(1 for _ in neighbours(corpus, since))
    drawn = {at: order for order, at in enumerate(rng.sample(range(count), min(count, wanted * 20)))}
    kept = [""] * len(drawn)
    for at, pair in enumerate(neighbours(corpus, since)):
        if at in drawn:
            kept[drawn[at]] = pair
    return kept


def neighbours(corpus, since):
    """Each pair of neighbouring words of three letters or more in the speeches from `since` on, in order."""
    from statements.ungdc.reader import Speech, read_corpus

    for speech in read_corpus(corpus, since=since):
        if isinstance(speech, Speech):
            for line in speech.text.splitlines():
                for first, second in itertools.pairwise(line.split()):
                    if WORD.fullmatch(first) and WORD.fullmatch(second):
                        yield f"{first.lower()} {second.lower()}"


def searched(pairs, wanted):
    """The first `wanted` distinct pairs whose two words are both searched in English (no stop word)."""
    from django.db import connection

    chosen = []
    with connection.cursor() as cursor:
        for pair in dict.fromkeys(pairs):
            cursor.execute("SELECT numnode(phraseto_tsquery('english', %s))", [pair])
            if cursor.fetchone()[0] == 3:  # Two words and the operator between them.
                chosen.append(pair)
            if len(chosen) == wanted:
                break
    return chosen


def matches(words):
    """How many statements the page counts for these words (its total), and whether counted exactly."""
    from django.http import QueryDict

    from statements.query import ExplorerQuery

    counts = ExplorerQuery(QueryDict(urllib.parse.urlencode({"q": words, "sort": "relevance"}))).facets
    return counts.total, counts.exact


def timed(connection, url, runs):
    def get():
        started = time.perf_counter()
        connection.request("GET", url)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
        return (time.perf_counter() - started) * 1000

    get()
    return statistics.median(get() for _ in range(runs))


def summary(label, timings):
    if not timings:
        return
    within = sum(ms <= TARGET_MS for ms in timings)
    ninetieth = statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else timings[0]
    print(
        f"{label:34} {len(timings):4} searches: median {statistics.median(timings):6.1f} ms, 90th percentile "
        f"{ninetieth:6.1f} ms, within {TARGET_MS} ms: {within}/{len(timings)}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=40, help="How many word pairs.")
    parser.add_argument("--requests", type=int, default=5, help="Runs of each request (the median is kept).")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--since", type=int, default=2000, help="The first year of speeches to draw from.")
    parser.add_argument("--corpus", type=Path, default=HELD_OUT)
    options = parser.parse_args()
    if not options.corpus.exists():
        raise SystemExit(f"{options.corpus}: no such file (the UN General Debate Corpus, in ../shared).")
    explorer.setup(1_000_000)
    import django

    django.setup()
    rng = random.Random(options.seed)
    pairs = searched(word_pairs(options.corpus, options.since, rng, options.searches), options.searches)
    rows = []
    with explorer.over_http() as connection:
        for pair in pairs:
            for words in (f'"{pair}"', pair):
                total, exact = matches(words)
                url = "/statements/?" + urllib.parse.urlencode({"q": words, "sort": "relevance"})
                ms = timed(connection, url, options.requests)
                rows.append((words, total, exact, ms))
                print(f"{words:40} {'' if exact else 'about '}{total:>9,} {ms:8.1f} ms", flush=True)
    print()
    for kind, quoted in (("phrases", True), ("two words", False)):
        kept = [row for row in rows if row[0].startswith('"') == quoted]
        summary(f"{kind}, all", [ms for *_, ms in kept])
        for low, high in BUCKETS:
            inside = [ms for _, total, _, ms in kept if total >= low and (high is None or total <= high)]
            summary(f"{kind}, {low:,}-{'' if high is None else f'{high:,}'} matches", inside)


if __name__ == "__main__":
    main()
