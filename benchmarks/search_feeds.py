"""Every search-in-a-topic feed of the load mix, each requested alone: the walk-or-read-the-matches choice at scale.

    .venv/bin/python benchmarks/search_feeds.py [--statements 1000000] [--slowest 10]

Requests `/feeds/statements/?q=<word>&topic=<topic>` for each of benchmarks/load.py's WORDS and every topic
(1,400 or more feeds) through Django's whole stack in this process, on the benchmark database that
benchmarks/explorer.py fills, and prints the total time, how many feeds walked the date index and how many
read their matches first (ExplorerQuery.ordered), and the slowest. Alone, no feed should come near the
5 s statement timeout; under load (benchmarks/load.py) they queue behind each other.
"""

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import explorer
import load


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--slowest", type=int, default=10)
    options = parser.parse_args()
    explorer.setup(options.statements)
    from django.test import Client

    from statements.models import Topic
    from statements.query import ExplorerQuery

    ways = collections.Counter()
    ordered = ExplorerQuery.ordered

    def counted_ordered(query, *args, **kwargs):
        statements = ordered(query, *args, **kwargs)
        ways["walked the date index" if statements.query.is_sliced else "read the matches first"] += 1
        return statements

    ExplorerQuery.ordered = counted_ordered
    client = Client()
    timings = []
    for word in load.WORDS:
        for topic in Topic.objects.order_by("slug").values_list("slug", flat=True):
            path = f"/feeds/statements/?q={word}&topic={topic}"
            start = time.perf_counter()
            status = client.get(path).status_code
            timings.append(((time.perf_counter() - start) * 1000, status, path))
    ways["none (no statement in the topic)"] = len(timings) - sum(ways.values())
    print(f"{len(timings):,} feeds in {sum(ms for ms, _, _ in timings) / 1000:.1f} s; " + ", ".join(
        f"{way}: {count:,}" for way, count in ways.items()
    ))  # fmt: skip
    statuses = collections.Counter(status for _, status, _ in timings)
    print("statuses: " + ", ".join(f"{status}: {count:,}" for status, count in sorted(statuses.items())))
    for ms, status, path in sorted(timings, reverse=True)[: options.slowest]:
        print(f"{ms:8.1f} ms  {status}  {path}")
    sys.exit(1 if any(status >= 500 for status in statuses) else 0)


if __name__ == "__main__":
    main()
