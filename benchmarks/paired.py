"""Server time of the same requests by two checkouts, request by request alternately: before and after a change.

    git worktree add ../before main
    .venv/bin/python benchmarks/paired.py ../before "/statements/?q=climate" [--requests 40] [--htmx]

On a shared, noisy machine the medians of two benchmark runs made one after the other differ by the load more
than by the code. Here each checkout serves the requests in a process of its own (benchmarks/explorer.py's
database and settings, through Django's test client), and they take turns, one request each, so that both meet
the same load. Each line gives the medians of the whole request, of its SQL, of the queries that read the
statements' search vectors (those that find the matches), and of the process's CPU time (Python's work, without
the waits for PostgreSQL: steadier than the whole on a busy machine), in ms, then the load averages.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def serve():
    """In a checkout (the working directory): set up as the explorer benchmark does, then time each URL read."""
    sys.path.insert(0, os.getcwd())
    from benchmarks import explorer

    explorer.setup(1_000_000)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    print("ready", flush=True)
    for line in sys.stdin:
        url, htmx = line.split()[0], "htmx" in line.split()[1:]
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
            took, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        assert response.status_code == 200, (url, response.status_code)
        timed = [(float(query["time"]) * 1000, query["sql"]) for query in queries.captured_queries]
        matches = sum(ms for ms, sql in timed if '"search_vector" @@' in sql and not sql.startswith("EXPLAIN"))
        print(took, sum(ms for ms, _ in timed), matches, cpu, flush=True)


def loads():
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="The other checkout (its .venv, or this one's, runs it).")
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--htmx", action="store_true", help="Ask for the htmx fragments.")
    options = parser.parse_args()

    sides = {}
    for name, checkout in [("before", Path(options.before).resolve()), ("after", ROOT)]:
        python = checkout / ".venv" / "bin" / "python"
        python = python if python.exists() else ROOT / ".venv" / "bin" / "python"
        sides[name] = subprocess.Popen(
            [str(python), __file__, "--serve"], cwd=checkout, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert sides[name].stdout.readline().strip() == "ready", name
    print(f"load averages {loads()}; {options.requests} requests each, after 3 warm-ups.")
    print(f"{'request':60} {'before: ms, SQL, matches, CPU':>35} {'after: ms, SQL, matches, CPU':>35}")
    for url in options.urls:
        times = {name: [] for name in sides}
        for run in range(options.requests + 3):
            # Each in turn goes first, so that neither always follows the other's caching.
            for name in sorted(sides, reverse=run % 2 == 1):
                sides[name].stdin.write(f"{url} {'htmx' if options.htmx else ''}\n")
                sides[name].stdin.flush()
                measured = [float(value) for value in sides[name].stdout.readline().split()]
                if run >= 3:
                    times[name].append(measured)
        medians = {name: [statistics.median(row[i] for row in rows) for i in range(4)] for name, rows in times.items()}
        shown = {name: " ".join(f"{value:8.1f}" for value in medians[name]) for name in sides}
        print(f"{url[:60]:60} {shown['before']:>35} {shown['after']:>35}", flush=True)
    print(f"load averages {loads()}")
    for side in sides.values():
        side.stdin.close()
        side.wait()


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["--serve"] else main()
