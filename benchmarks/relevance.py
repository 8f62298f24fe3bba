"""What ranking only the newest matches keeps, and what it costs, for searches too common to count.

    .venv/bin/python benchmarks/relevance.py [--statements 1000000] [--runs 5] ["climate" "united nations" ...]

For each search, on benchmarks/explorer.py's database: its matches, the planner's estimate, which way a page by
relevance ranks them (the newest EXPLORER_RELEVANCE_CANDIDATES, or every match: ExplorerQuery.ranks_newest), how many
of the first 25 among the newest are the first 25 of every match ranked (the same first?), and the median time of
each ranking (its one query, ids only) over --runs runs.
"""

import argparse
import statistics
import time
from urllib.parse import urlencode

from explorer import setup

SEARCHES = ["climate", "security", "united nations", "climate change", "북한은", '"united states"']


def timed(ranked, runs):
    """The first 25 ids of a ranking (a method of the query, from `start` to `stop`), and its median time in ms."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        ids = list(ranked(0, 25).values_list("pk", flat=True))
        times.append((time.perf_counter() - started) * 1000)
    return ids, statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("searches", nargs="*", default=SEARCHES)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    setup(options.statements)
    from django.conf import settings
    from django.db import connection
    from django.http import QueryDict

    from statements.query import ExplorerQuery

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # Every match ranked may take longer than a page may.
    print(f"Ranked among the newest {settings.EXPLORER_RELEVANCE_CANDIDATES:,}; the first 25, against every match's.")
    print(f"{'search':18} {'matches':>8} {'estimate':>8}  {'a page ranks':12} {'kept':>5}  first  all ms  newest ms")
    for words in options.searches:
        query = ExplorerQuery(QueryDict(urlencode({"q": words, "sort": "relevance"})))
        counts = query.facets
        way = "the newest" if query.ranks_newest(counts) else "every match"
        every, every_ms = timed(query.ranked, options.runs)
        newest, newest_ms = timed(query.ranked_among_newest, options.runs)
        matches = query.filtered().count()
        kept = len(set(every) & set(newest))
        print(
            f"{words:18} {matches:>8,} {counts.total:>8,}  {way:12} {kept:>2}/25  {every[0] == newest[0]!s:5}"
            f" {every_ms:7.1f} {newest_ms:10.1f}"
        )


if __name__ == "__main__":
    main()
