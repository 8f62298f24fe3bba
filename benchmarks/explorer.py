"""Server time of the explorer's typical requests on a large synthetic data set.

    .venv/bin/python benchmarks/explorer.py [--statements 1000000] [--requests 50] [--explain] [--http] [--split]

Runs against a database of its own, `diplotrack_bench`, on the configured server (DATABASE_URL's
server, or the embedded one), generating the synthetic data there on first use (a few minutes for a
million statements). Each request goes through Django's full stack in this process (middleware,
view, queries, template) without a network in between; the figures are medians and 95th
percentiles over --requests runs after three warm-up runs, each answer computed (the shared cache of public answers
is off; `--cached` measures its warm answers instead). `--http` times the same requests over HTTP instead, from
gunicorn on loopback (production settings, one worker; query counts are then not known). `--split` says where each
request's time goes: its queries (as Django waits for them: sent, run, answered), the template's rendering, and the
rest (the view's Python, the ORM writing the queries, the middleware). This machine is shared and noisy: compare runs
made close together.
"""

import argparse
import contextlib
import http.client
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# BENCH_DATABASE in the environment names another (a copy to try a schema change on, say).
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "diplotrack_bench")


def bench_database_url(statements=1_000_000):
    """The URL of the benchmark database on the configured server, created if missing.

    A million statements live in `diplotrack_bench`; another size has a database of its own
    (`diplotrack_bench_10000000`), so that the sizes can be compared side by side.
    """
    import psycopg

    global BENCH_DATABASE
    if statements != 1_000_000 and BENCH_DATABASE == "diplotrack_bench":
        BENCH_DATABASE = f"diplotrack_bench_{statements}"

    url = os.environ.get("DATABASE_URL")
    if not url:
        from diplotrack.embedded_db import database_url

        url = database_url(ROOT / "var" / "pgdata")
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]).fetchone():
            connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def setup(statements, *, cached=False):
    os.environ["DATABASE_URL"] = bench_database_url(statements)
    # Each answer computed, unless asked for (--cached: the shared cache's answers, after the warm-up runs).
    os.environ["CACHE_PUBLIC_ANSWERS"] = "1" if cached else "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["API_ANONYMOUS_RATE"] = "1000000/minute"  # Every API request answered, none refused as too many.
    os.environ["DEBUG"] = ""
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # The test client speaks plain HTTP.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["STATIC_ROOT"] = str(ROOT / "var" / "benchmark-static")
    os.environ["DJANGO_SETTINGS_MODULE"] = "diplotrack.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from statements.models import Statement

    # Setting up may take minutes, as manage.py's commands may (the site's requests may not).
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # Production's hashed file names.
    have = Statement.objects.count()
    if have < statements * 0.99:
        print(f"Generating {statements:,} synthetic statements (the database has {have:,})...", flush=True)
        call_command("generate_synthetic", statements=statements)
        have = Statement.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")  # The requests measured have the site's own.
    return have  # Counted here: ten million take longer than the site's statement timeout.


def scenarios():
    from statements.models import Official, PublishedCount, Statement, Topic

    popular = PublishedCount.objects.filter(country_code="KR").exclude(topic_id=0).order_by("-statements").first()
    topic = Topic.objects.get(pk=popular.topic_id)
    official = Official.objects.filter(country="KR").order_by("-pk").first()
    statement = Statement.objects.published().order_by("-pk").first()
    busiest = PublishedCount.objects.filter(topic_id=0).exclude(country_code="*").order_by("-statements").first()
    return {
        "(a) first page, no filter, with facets": "/statements/",
        "(b) country=KR + topic + q=climate, with facets": f"/statements/?country=KR&topic={topic.slug}&q=climate",
        "(c) country=KR + topic, with facets": f"/statements/?country=KR&topic={topic.slug}",
        # As (b), in Korean: the search's words read by the analyser, matched against the stored morphemes.
        "(k) country=KR + topic + q=북한은, with facets": f"/statements/?country=KR&topic={topic.slug}&q=북한은",
        "q=북한 alone": "/statements/?q=북한",
        "q=climate alone": "/statements/?q=climate",
        'q="nuclear weapons" -iran, by relevance': "/statements/?q=%22nuclear+weapons%22+-iran&sort=relevance",
        "q=climate alone, by relevance (uncounted: newest N ranked)": "/statements/?q=climate&sort=relevance",
        "country=US&country=CN, page 20": "/statements/?country=US&country=CN&page=20",
        "mentions=KP, 2020-2024": "/statements/?mentions=KP&date_from=2020-01-01&date_to=2024-12-31",
        "htmx fragment of (b)": (f"/statements/?country=KR&topic={topic.slug}&q=climate", {"HTTP_HX_REQUEST": "true"}),
        "API answer of (b)": f"/api/statements/?country=KR&topic={topic.slug}&q=climate",
        # Its own request after the page's (htmx): what the timeline costs, apart from the page.
        "timeline of (b), htmx fragment": (
            f"/statements/timeline/?country=KR&topic={topic.slug}&q=climate",
            {"HTTP_HX_REQUEST": "true"},
        ),
        "timeline, no filter, htmx fragment": ("/statements/timeline/", {"HTTP_HX_REQUEST": "true"}),
        "timeline of (c), htmx fragment": (
            f"/statements/timeline/?country=KR&topic={topic.slug}",
            {"HTTP_HX_REQUEST": "true"},
        ),
        "compare 4 countries": "/compare/?a=country:US&b=country:CN&c=country:KR&d=country:JP",
        "compare 4 countries, topic + q=climate": (
            f"/compare/?a=country:US&b=country:CN&c=country:KR&d=country:JP&topic={topic.slug}&q=climate"
        ),
        "official page": official.get_absolute_url(),
        "statement page": statement.get_absolute_url(),
        "officials list": "/officials/",
        "countries list": "/countries/",
        "the busiest country's page": f"/countries/{busiest.country_code}/",
    }


def measure(client, url, headers, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def measure_split(client, url, headers, runs):
    """As measure(), each request's time split: medians of the whole, of its queries, and of its template's rendering
    without the queries run while rendering (a list a template reads lazily), in ms."""
    from django.db import connection
    from django.template.backends.django import Template

    spent = {"queries": 0, "render": 0, "queries in render": 0, "rendering": False}  # This request's.
    render = Template.render

    def timed_query(execute, *args):  # Django's hook around each query (captured times are whole milliseconds).
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            took = time.perf_counter() - started
            spent["queries"] += took
            if spent["rendering"]:
                spent["queries in render"] += took

    def timed_render(self, *args, **kwargs):  # The page's template, and what renders inside it.
        if spent["rendering"]:  # A view's piece rendered within the page: timed with it.
            return render(self, *args, **kwargs)
        spent["rendering"] = True
        started = time.perf_counter()
        try:
            return render(self, *args, **kwargs)
        finally:
            spent["render"] += time.perf_counter() - started
            spent["rendering"] = False

    Template.render = timed_render
    try:
        for _ in range(3):
            assert client.get(url, **headers).status_code == 200, url
        whole, sql, rendered = [], [], []
        for _ in range(runs):
            spent.update({"queries": 0, "render": 0, "queries in render": 0})
            with connection.execute_wrapper(timed_query):
                started = time.perf_counter()
                response = client.get(url, **headers)
                whole.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            sql.append(spent["queries"] * 1000)
            rendered.append((spent["render"] - spent["queries in render"]) * 1000)
    finally:
        Template.render = render
    return statistics.median(whole), statistics.median(sql), statistics.median(rendered)


def explain(url, runs=20):
    """EXPLAIN ANALYZE of every query a request runs, after the time each takes as Django waits for it (the median
    of `runs` runs of it again, on the same connection): a page's prepared queries (statements.present.Written) by
    their EXECUTE, a budgeted query (statements.facets.rows_within) without its settings."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        Client().get(url)
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"].strip()
            if sql.startswith("PREPARE "):  # Prepared now: executed again by name.
                sql = "; ".join(EXECUTED.findall(sql))
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                cursor.execute(sql)
                while cursor.nextset():
                    pass
                timings.append((time.perf_counter() - started) * 1000)
            print(f"\n-- {statistics.median(timings):.2f} ms: {sql[:300]}")
            while sql.startswith("SET LOCAL "):
                sql = sql.split("; ", 1)[1].lstrip()
            if sql.startswith("EXECUTE "):
                explained = EXECUTED.findall(sql)
            elif sql.startswith(("SELECT", "WITH")):
                explained = [sql]
            else:
                continue  # The planner's estimate (already an EXPLAIN), transactions.
            for statement in explained:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
                print("    " + "\n    ".join(row[0] for row in cursor.fetchall()))


# A prepared query's EXECUTE in a message, with its arguments (quoted literals may hold anything).
EXECUTED = re.compile(r"EXECUTE \w+(?:\((?:'(?:[^']|'')*'|[^'()])*\))?")


@contextlib.contextmanager
def over_http(port=8766):
    """gunicorn on loopback with production settings and one worker, as the load test starts it."""
    import load  # benchmarks/load.py

    environment = os.environ | {"ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = load.serve(port, 1, environment, subprocess.DEVNULL)
    try:
        yield http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # Kept alive between requests.
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure_http(connection, url, headers, runs):
    """As measure(), each request over HTTP: what a client waits for, the server's whole stack included."""
    # The test client's names of headers (HTTP_HX_REQUEST) as sent (HX-Request).
    sent = {name.removeprefix("HTTP_").replace("_", "-").title(): value for name, value in headers.items()}
    path = urllib.parse.quote(url, safe="/?=&-:%+")

    def get():
        started = time.perf_counter()
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, (url, response.status)
        return (time.perf_counter() - started) * 1000

    for _ in range(3):
        get()
    timings = sorted(get() for _ in range(runs))
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help="Time each query of (b) and (c) and print its plan.")
    parser.add_argument("--only", default="", help="Only the requests whose names hold this text.")
    parser.add_argument("--cached", action="store_true", help="Answers from the shared cache (warm), not computed.")
    parser.add_argument(
        "--http", action="store_true", help="Over HTTP: gunicorn, production settings, one worker, on loopback."
    )
    parser.add_argument("--split", action="store_true", help="Where the time goes: queries, rendering, the rest.")
    options = parser.parse_args()
    have = setup(options.statements, cached=options.cached)

    from django.test import Client

    print(f"{have:,} statements in {BENCH_DATABASE}; {options.requests} runs each.\n")
    if options.split:
        print(f"{'request (medians, ms)':52} {'whole':>8} {'queries':>8} {'render':>8} {'rest':>8}")
        client = Client()
        for name, target in scenarios().items():
            if options.only in name:
                url, headers = target if isinstance(target, tuple) else (target, {})
                whole, sql, rendered = measure_split(client, url, headers, options.requests)
                print(f"{name:52} {whole:8.1f} {sql:8.1f} {rendered:8.1f} {whole - sql - rendered:8.1f}", flush=True)
        return
    print(f"{'request':52} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    with over_http() if options.http else contextlib.nullcontext(Client()) as client:
        for name, target in scenarios().items():
            if options.only not in name:
                continue
            url, headers = target if isinstance(target, tuple) else (target, {})
            median, p95, queries = (measure_http if options.http else measure)(client, url, headers, options.requests)
            print(f"{name:52} {median:10.1f} {p95:8.1f} {queries if queries is not None else '':>8}", flush=True)
    if options.explain:
        for name, target in list(scenarios().items())[1:3]:
            print(f"\n==== {name}")
            explain(target)


if __name__ == "__main__":
    main()
