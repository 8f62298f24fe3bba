"""The intake's throughput: 200 feeds of 50 documents each, served on loopback, read into the inbox by 1, 2 and 4
procrastinate worker processes.

    .venv/bin/python benchmarks/intake.py [--feeds 200] [--documents 50] [--hosts 20] [--workers 1 2 4]

A web server in another process serves, on --hosts ports of 127.0.0.1 (each port a "site", so that each host's lock
lets the workers share the work as they would across ministries), RSS feeds, HTML listings and sitemaps of pages in
the styles of a ministry's release, a spokesperson's briefing, a UN release and a press conference (written for the
benchmark), and counts every request. For each number of workers, on a fresh database (diplotrack_intake_bench on the
configured or embedded server): every feed's poll is queued at once (all documents "appear" then), the workers run
until the queue is empty (`procrastinate worker --one-shot`), and the script prints documents a minute from the first
poll to the last document in the inbox, the delay from a document's listing to its place in the inbox (median, 95th
percentile), and checks that no page was fetched twice and no document saved twice. The pause between two requests
to a host (INTAKE_HOST_DELAY) is 0 here: the network and politeness are excluded, as the target says.
"""

import argparse
import http.server
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "diplotrack_intake_bench"
STYLES = ["release", "briefing", "un", "conference"]


def page(style, feed, n):
    """A page of one of the four styles, its words unique to (feed, n) so that no two are copies."""
    tag = f"{feed}-{n}"
    if style == "release":
        title = f"Outcome of the Foreign Ministers' Meeting ({tag})"
        body = [
            "Press Releases",
            f"1. Minister of Foreign Affairs Cho Tae-yul held talks with his counterpart in Seoul on item {tag}. "
            "The two Ministers reviewed the state of bilateral relations.",
            f'2. Minister Cho said, "We will respond firmly to provocations in close coordination with our allies, '
            f'as agreed at meeting {tag}."',
            "End.",
        ]
    elif style == "briefing":
        title = f"Regular Press Briefing by the Spokesperson ({tag})"
        body = [
            "SPOKESPERSON LIM: Good afternoon. I will begin with the Minister's schedule.",
            "Q: What is the Government's position on the recent missile launch?",
            f"SPOKESPERSON LIM: The Government strongly condemns the launch and will respond sternly ({tag}).",
        ]
    elif style == "un":
        title = f"Secretary-General Calls for Restraint ({tag})"
        body = [
            "The following statement was issued today by the Spokesperson for the Secretary-General:",
            f'"The Secretary-General calls on all parties to exercise maximum restraint," the statement said ({tag}).',
        ]
    else:
        title = f"Press Conference by the Foreign Minister ({tag})"
        body = [
            "Opening Remarks",
            f"Minister Iwaya: I will visit the Republic of Korea next week to hold talks (conference {tag}).",
            "Reporter: What do you expect from the talks?",
            "Minister Iwaya: We will confirm close cooperation between our two countries.",
        ]
    paragraphs = "".join(f"<p>{line}</p>" for line in body)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="2024-11-15"></head><body>'
        f"<nav><a href='/'>Home</a> <a href='/press'>Press</a></nav><main><article><h2>{title}</h2>{paragraphs}"
        f"</article></main><footer>Site map · Privacy</footer></body></html>"
    )


def listing(kind, base, feed, documents):
    paths = [f"/feed{feed}/doc{n}.html" for n in range(documents)]
    if kind == "rss":
        items = "".join(
            f"<item><title>Item {n}</title><link>{base}{path}</link><guid>{path}</guid>"
            "<pubDate>Fri, 15 Nov 2024 09:00:00 GMT</pubDate></item>"
            for n, path in enumerate(paths)
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>{items}</channel></rss>'
    if kind == "sitemap":
        urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in paths)
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    rows = "".join(f'<tr><td class="title"><a href="{path}">Item {n}</a></td></tr>' for n, path in enumerate(paths))
    return f'<html><body><div class="board_list"><table>{rows}</table></div></body></html>'


def feed_kind(feed):
    return ["rss", "rss", "html", "sitemap"][feed % 4]


def serve(ports, feeds, documents, ready):
    """The loopback sites: each port serves the feeds whose number modulo the ports is its own. /__publish adds a
    document to every feed (the steady-state measure), /__reset takes them away."""
    hits = {}
    lock = threading.Lock()
    published = [documents]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path
            with lock:
                hits[path] = hits.get(path, 0) + 1
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if path == "/__hits":
                body, kind = json.dumps(hits).encode(), "application/json"
            elif path in ("/__publish", "/__reset"):
                with lock:
                    published[0] = published[0] + 1 if path == "/__publish" else documents
                body, kind = str(published[0]).encode(), "text/plain"
            elif path.startswith("/list"):
                feed = int(path[5:])
                body, kind = listing(feed_kind(feed), base, feed, published[0]).encode(), "text/xml"
            elif path.startswith("/feed"):
                feed, _, doc = path[5:].partition("/doc")
                body, kind = page(STYLES[int(feed) % 4], int(feed), int(doc.split(".")[0])).encode(), "text/html"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler) for port in ports]
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.set()
    while True:
        time.sleep(3600)


def free_ports(count):
    import socket

    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def database_url():
    import psycopg

    url = os.environ.get("DATABASE_URL")
    if not url:
        from diplotrack.embedded_db import database_url as embedded

        url = embedded(ROOT / "var" / "pgdata")
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


def server_hits(ports):
    """How often each path was requested, over all the runs so far."""
    import urllib.request

    hits = {}
    for port in ports:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__hits") as response:
            hits.update(json.load(response))
    return hits


def run(workers, ports, options):
    """One measurement on a fresh database; the figures as a dict."""
    os.environ["DATABASE_URL"] = database_url()
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    call_command("migrate", verbosity=0)
    from django.db.models import Count

    from statements.intake import tasks
    from statements.intake.models import Candidate, Document, Feed
    from statements.models import Organization

    publisher = Organization.objects.create(name="Ministry of Foreign Affairs", country_id="KR")
    Feed.objects.all().delete()
    feeds = [
        Feed.objects.create(
            name=f"Bench feed {n}",
            kind=feed_kind(n),
            url=f"http://127.0.0.1:{ports[n % len(ports)]}/list{n}",
            link_selector="div.board_list td.title a" if feed_kind(n) == "html" else "",
            publisher=publisher,
            country_id="KR",
            document_kind=["release", "transcript", "release", "transcript"][n % 4],
        )
        for n in range(options.feeds)
    ]
    env = {**os.environ, "INTAKE_HOST_DELAY": "0", "LOG_LEVEL": "WARNING", "INTAKE_MAX_ITEMS": "1000"}
    import urllib.request

    urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/__reset").close()  # each run lists the same documents
    before = server_hits(ports)
    started = time.time()
    for feed in feeds:
        tasks.queue_poll(feed)
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot", "--concurrency", "1"],
            cwd=ROOT,
            env=env,
        )
        for _ in range(workers)
    ]
    for process in processes:
        process.wait()
    read = Document.objects.filter(status="read")
    last = max(read.values_list("fetched_at", flat=True))
    elapsed = last.timestamp() - started
    delays = sorted(
        (fetched - listed).total_seconds() for listed, fetched in read.values_list("listed_at", "fetched_at")
    )
    hits = server_hits(ports)
    twice = [path for path, count in hits.items() if path.startswith("/feed") and count - before.get(path, 0) > 1]
    saved_twice = Document.objects.values("url").annotate(n=Count("id")).filter(n__gt=1).count()
    statuses = dict(Document.objects.values_list("status").annotate(Count("id")))
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM procrastinate_jobs GROUP BY status")
        jobs = dict(cursor.fetchall())
    figures = {
        "workers": workers,
        "documents": read.count(),
        "statuses": statuses,
        "candidates": Candidate.objects.count(),
        "seconds": round(elapsed, 1),
        "per_minute": round(read.count() / elapsed * 60),
        "delay_median_s": round(statistics.median(delays), 1),
        "delay_p95_s": round(delays[int(len(delays) * 0.95)], 1),
        "pages_fetched_twice": len(twice),
        "documents_saved_twice": saved_twice,
        "jobs": jobs,
        "feeds_polled": Feed.objects.filter(last_success_at__isnull=False).count(),
        "first_to_last_listing_s": round(max(read.values_list("listed_at", flat=True)).timestamp() - started, 1),
    }
    if options.steady:
        figures.update(steady(workers, ports, env, feeds))
    return figures


def steady(workers, ports, env, feeds):
    """Workers waiting, as in production: one new document appears on every feed, every feed's poll comes due at
    once; the delay from the document's appearance to the inbox (the poll interval's wait aside)."""
    import signal
    import urllib.request

    from statements.intake import tasks
    from statements.intake.models import Document

    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--concurrency", "1"], cwd=ROOT, env=env
        )
        for _ in range(workers)
    ]
    time.sleep(5)  # the workers' start
    known = Document.objects.count()
    # One server process serves every port: one call publishes a document on every feed.
    urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/__publish").close()
    appeared = time.time()
    for feed in feeds:
        tasks.queue_poll(feed)
    deadline = time.time() + 600
    while Document.objects.count() < known + len(feeds) and time.time() < deadline:
        time.sleep(0.5)
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait()
    new = Document.objects.order_by("-id")[: len(feeds)]
    delays = sorted(document.fetched_at.timestamp() - appeared for document in new)
    return {
        "steady_new_documents": len(delays),
        "steady_delay_median_s": round(statistics.median(delays), 2),
        "steady_delay_p95_s": round(delays[int(len(delays) * 0.95)], 2),
        "steady_delay_max_s": round(delays[-1], 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--no-steady", dest="steady", action="store_false", help="Skip the steady-state delay.")
    options = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["DEBUG"] = ""
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "diplotrack.settings"
    os.environ["DATABASE_STATEMENT_TIMEOUT"] = "0"
    os.environ["INTAKE_HOST_DELAY"] = "0"
    os.environ["INTAKE_PRIVATE_ADDRESSES"] = "1"  # the loopback sites
    os.environ["INTAKE_MAX_ITEMS"] = "1000"
    os.environ["DATABASE_URL"] = database_url()
    import django

    django.setup()
    ports = free_ports(options.hosts)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(ports, options.feeds, options.documents, ready), daemon=True)
    server.start()
    ready.wait(10)
    print(f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.2f}", flush=True)
    print(f"{options.feeds} feeds x {options.documents} documents on {options.hosts} loopback hosts", flush=True)
    results = []
    for workers in options.workers:
        from django.db import connection

        connection.close()
        figures = run(workers, ports, options)
        results.append(figures)
        print(json.dumps(figures), flush=True)
        print(f"  load average after: {os.getloadavg()[0]:.2f}", flush=True)
    server.terminate()
    print("\nworkers | documents | seconds | documents/minute | listing->inbox median / p95 | twice")
    for figures in results:
        print(
            f"{figures['workers']:7} | {figures['documents']:9} | {figures['seconds']:7} | "
            f"{figures['per_minute']:16} | {figures['delay_median_s']:>8} s / {figures['delay_p95_s']} s | "
            f"{figures['pages_fetched_twice'] + figures['documents_saved_twice']}"
        )
    bad = any(figures["pages_fetched_twice"] or figures["documents_saved_twice"] for figures in results)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
