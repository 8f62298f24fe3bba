"""Load test: concurrent clients against gunicorn on loopback, over the 1,000,000-statement benchmark data.

    .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 60] [--workers N]

Needs wrk (Debian: apt-get install wrk). Uses the benchmark database that benchmarks/explorer.py fills
(generating it first if needed), starts gunicorn on 127.0.0.1 with production settings, and has wrk's
clients request a random mix of explorer filters, searches, detail pages, Atom feeds of every kind and
API calls, each request chosen afresh. gunicorn runs as production configures it (gunicorn.conf.py:
workers, threads, timeouts; --workers overrides its number of workers). Prints throughput, latency
percentiles and every error (socket errors, timeouts, and responses other than 2xx/3xx, with the 5xx
among them counted apart, and the paths that answered 5xx, from the site's log). The anonymous API rate
limit is raised for the run: all clients share one address.

The site's shared cache of public answers (diplotrack.caching) is on, as in production, and emptied before the
run: the figures are a cold cache's, each of the mix's 2,000 paths computed the first time it is asked for.
`--warm` first asks for every path once, so that the run measures a warm cache; `--no-cache` turns the cache
off (CACHE_PUBLIC_ANSWERS=0): every answer computed. The cache is the database's table, or Redis when REDIS_URL
is set in the environment (REDIS_URL=redis://127.0.0.1:6379/1).

`--dry-run` requests the first 200 paths of the mix in this process instead (Django's test client, no wrk,
no gunicorn) and prints their statuses: with `--statements 2000` on a fresh machine, a check in a minute.
"""

import argparse
import collections
import concurrent.futures
import contextlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import explorer  # noqa: E402

WORDS = [
    "climate",
    "nuclear",
    "sanctions",
    '"human rights"',
    "peace -war",
    "refugees OR migrants",
    "ocean",
    "development",
    '"security council"',
    "terrorism",
    "pandemic",
    "Korea",
    "democracy",
    "trade",
]

# After each run wrk prints these percentiles of its latency distribution, and the error counts. Each thread
# counts its 5xx answers (wrk's "status" errors are every answer other than 2xx and 3xx); done() adds them up.
LUA = """
local paths = {%s}
local threads = {}
math.randomseed(os.time())
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  server_errors = 0
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
response = function(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  end
end
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("p%%d %%.1f\\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("requests %%d\\n", summary.requests))
  io.write(string.format("errors connect=%%d read=%%d write=%%d status=%%d timeout=%%d\\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("server_errors")
  end
  io.write(string.format("5xx %%d\\n", total))
end
"""


def paths(count=2000):
    """A random mix of what readers and client programs ask for."""
    from statements.models import Country, Official, PublishedCount, Statement, Topic

    rng = random.Random(7)
    countries = list(
        PublishedCount.objects.filter(topic_id=0).order_by("-statements").values_list("country_code", flat=True)[:60]
    )
    topics = list(Topic.objects.values_list("slug", flat=True))
    officials = list(Official.objects.order_by("?").values_list("slug", flat=True)[:300])
    last_id = Statement.objects.order_by("-pk").values_list("pk", flat=True).first()
    published = list(Statement.objects.published().filter(pk__gt=last_id - 50_000).values_list("pk", flat=True)[:500])
    codes = list(Country.objects.filter(code__in=countries).values_list("code", flat=True))
    makers = [
        lambda: "/",
        lambda: f"/statements/?country={rng.choice(codes)}",
        lambda: f"/statements/?country={rng.choice(codes)}&topic={rng.choice(topics)}",
        lambda: f"/statements/?topic={rng.choice(topics)}&page={rng.randint(1, 20)}",
        lambda: f"/statements/?q={rng.choice(WORDS)}&country={rng.choice(codes)}",
        lambda: f"/statements/?q={rng.choice(WORDS)}",
        lambda: f"/statements/?mentions={rng.choice(codes)}&date_from=2020-01-01",
        lambda: f"/statements/{rng.choice(published)}/",
        lambda: f"/officials/{rng.choice(officials)}/",
        lambda: f"/topics/{rng.choice(topics)}/",
        lambda: f"/countries/{rng.choice(codes)}/",
        lambda: f"/api/statements/?country={rng.choice(codes)}&topic={rng.choice(topics)}",
        lambda: f"/api/statements/?q={rng.choice(WORDS)}&page_size=50",
        lambda: f"/api/statements/{rng.choice(published)}/",
        lambda: f"/api/officials/{rng.choice(officials)}/",
        # Atom feeds of every kind: filtered, oldest first, before 2016, an official's, a topic's, a country's.
        lambda: f"/feeds/statements/?country={rng.choice(codes)}",
        lambda: f"/feeds/statements/?q={rng.choice(WORDS)}&topic={rng.choice(topics)}",
        lambda: f"/feeds/statements/?sort=date&country={rng.choice(codes)}",
        lambda: "/feeds/statements/?sort=date",
        lambda: f"/feeds/statements/?date_to={rng.randint(2014, 2016)}-12-31&mentions={rng.choice(codes)}",
        lambda: f"/officials/{rng.choice(officials)}/feed/",
        lambda: f"/topics/{rng.choice(topics)}/feed/",
        lambda: f"/countries/{rng.choice(codes)}/feed/",
    ]
    return [urllib.request.quote(rng.choice(makers)(), safe="/?=&-") for _ in range(count)]


def serve(port, workers, environment, log):
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "diplotrack.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        *(["--workers", str(workers)] if workers else []),
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=log)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/statements/?country=KR", timeout=30)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 50 seconds.")


def warm(port, mix):
    """Ask for every path of the mix once (eight at a time), so that each answer is in the cache."""
    started = time.perf_counter()

    def get(path):
        with contextlib.suppress(OSError):  # A 4xx or a timeout: counted in the timed run, if it happens again.
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60).read()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(get, sorted(set(mix))))
    print(f"Warmed the cache with {len(set(mix)):,} paths in {time.perf_counter() - started:.0f} s.")


def dry_run(mix):
    """Request paths of the mix in this process; exit non-zero on any 5xx."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    statuses = collections.Counter(client.get(urllib.request.unquote(path)).status_code for path in mix)
    print(", ".join(f"{status}: {count}" for status, count in sorted(statuses.items())))
    sys.exit(1 if any(status >= 500 for status in statuses) else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, help="gunicorn's workers (default: gunicorn.conf.py's)")
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--dry-run", action="store_true", help="Request the mix's first 200 paths in this process.")
    parser.add_argument("--warm", action="store_true", help="Ask for every path once before the timed run.")
    parser.add_argument("--no-cache", action="store_true", help="Compute every answer (CACHE_PUBLIC_ANSWERS=0).")
    options = parser.parse_args()
    if not shutil.which("wrk") and not options.dry_run:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    explorer.setup(options.statements)
    if options.dry_run:
        dry_run(paths()[:200])
    environment = os.environ | {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "SECRET_KEY": "load-test-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "",
        "SECURE_SSL_REDIRECT": "0",
        "API_ANONYMOUS_RATE": "1000000/minute",
        "LOG_LEVEL": "INFO",  # Production's: a line per request, with its path and status.
        "CACHE_PUBLIC_ANSWERS": "0" if options.no_cache else "1",
    }
    from django.core.cache import cache

    cache.clear()  # Cold: the run's own answers only.
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "mix.lua"
        script.write_text(LUA % ", ".join(f'"{path}"' for path in paths()))
        log = (Path(folder) / "server.log").open("w+")
        server = serve(options.port, options.workers, environment, log)
        try:
            if options.warm:
                warm(options.port, paths())
            log.flush()
            timed_from = log.seek(0, os.SEEK_END)  # The run's own lines, not the warming's.
            state = "no cache" if options.no_cache else "warm cache" if options.warm else "cold cache"
            print(f"{options.clients} clients ({state}) for {options.seconds} s against gunicorn...")
            result = subprocess.run(
                ["wrk", "-t2", f"-c{options.clients}", f"-d{options.seconds}s", "--timeout", "30s", "-s", str(script),
                 f"http://127.0.0.1:{options.port}"],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
        log.seek(timed_from)
        lines = [line for line in map(log_line, log) if "status" in line]
        failed = collections.Counter(f"{line['status']} {line['path']}" for line in lines if line["status"] >= 500)
        # The answers that took longest in the server (the tail of the latency), with their status.
        slowest = sorted(lines, key=lambda line: -line.get("duration_ms", 0))[:8]
        answers = collections.Counter(line["status"] for line in lines)
    output = result.stdout
    print(output)
    # "status" counts the responses other than 2xx and 3xx; "5xx" those of them that are server errors.
    errors = re.search(r"errors connect=(\d+) read=(\d+) write=(\d+) status=(\d+) timeout=(\d+)", output)
    failures = sum(map(int, errors.groups()))
    server_errors = int(re.search(r"5xx (\d+)", output).group(1))
    requests = int(re.search(r"requests (\d+)", output).group(1))
    print(
        f"{requests:,} requests in {options.seconds} s = {requests / options.seconds:.1f}/s; "
        f"errors: {failures}; 5xx: {server_errors}"
    )
    for failure, count in failed.most_common():
        print(f"  {count} × {failure}")
    by_status = ", ".join(f"{status}: {count:,}" for status, count in sorted(answers.items()))
    print(f"answers by status (the timed run's): {by_status}")
    print("slowest in the server: " + "; ".join(
        f"{line['duration_ms']:.0f} ms {line['status']} {line['path']}" for line in slowest
    ))  # fmt: skip
    sys.exit(1 if failures else 0)


def log_line(text):
    """One of the site's JSON log lines as a dict; gunicorn's plain lines as none."""
    try:
        return json.loads(text)
    except ValueError:
        return {}


if __name__ == "__main__":
    main()
