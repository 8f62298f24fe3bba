"""Sending the alerts' digests: 10,000 subscriptions, 100 newly published statements, one send_digests() run.

    .venv/bin/python benchmarks/alerts.py [--statements 1000000] [--alerts 10000] [--new 100]

Runs on a database of its own, `diplotrack_bench_alerts` (never the explorer's `diplotrack_bench`, which other
branches migrate), filled by generate_synthetic as benchmarks/explorer.py fills its own. It then makes --alerts
confirmed daily alerts over a mix of queries (everything, a country, a topic, a country and a topic, an official,
search words: a few popular, many rare), publishes --new of the synthetic drafts, and times send_digests("daily")
with Django's in-memory email backend: each message is built whole (MIME, text and HTML) as for SMTP, but not
sent over a network. Afterwards the drafts are drafts again and the alerts are gone, so it can run again.
"""

import argparse
import collections
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import explorer
import load


def queries(rng, count):
    """`count` alert queries, Zipf-like: many readers of the popular views, a few of each rare one."""
    from statements.models import Official, PublishedCount, Topic

    countries = list(
        PublishedCount.objects.filter(topic_id=0).exclude(country_code__in=["*", ""]).order_by("-statements")
    )
    topics = list(Topic.objects.order_by("pk").values_list("slug", flat=True))
    officials = list(Official.objects.order_by("?").values_list("slug", flat=True)[:500])
    codes = [row.country_code for row in countries]

    def zipf(items):
        return items[min(int(rng.paretovariate(1.1)) - 1, len(items) - 1)]

    kinds = [
        (0.10, lambda: ""),
        (0.30, lambda: f"country={zipf(codes)}"),
        (0.20, lambda: f"topic={zipf(topics)}"),
        (0.15, lambda: f"country={zipf(codes)}&topic={zipf(topics)}"),
        (0.15, lambda: f"official={rng.choice(officials)}"),
        (0.10, lambda: f"q={zipf(load.WORDS)}"),
    ]
    weights, makers = zip(*kinds, strict=True)
    return [rng.choices(makers, weights)[0]() for _ in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--seed", type=int, default=16)
    options = parser.parse_args()
    explorer.BENCH_DATABASE = "diplotrack_bench_alerts"
    explorer.setup(options.statements)
    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.db.models.functions import Now

    from statements.alerts import normalized_query, send_digests
    from statements.models import Alert, Statement

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://diplotrack.example"
    mail.outbox = []
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    rng = random.Random(options.seed)
    Alert.objects.all().delete()
    given = queries(rng, options.alerts)
    normal = {query: normalized_query(query) for query in set(given)}  # As the subscription form keeps them.
    Alert.objects.bulk_create(
        [
            Alert(email=f"reader{number}@example.com", query=normal[query], frequency="daily")
            for number, query in enumerate(given)
        ]
    )
    Alert.objects.update(confirmed_at=Now(), sent_until=Now())
    drafts = list(Statement.objects.filter(status="draft").order_by("?").values_list("pk", flat=True)[: options.new])
    Statement.objects.filter(pk__in=drafts).update(status="published", reviewed_at=Now())
    print(
        f"{Statement.objects.count():,} statements; {len(given):,} alerts over {len(normal):,} distinct queries; "
        f"{len(drafts)} statements published",
        flush=True,
    )
    try:
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        sent = send_digests("daily")
        seconds = time.perf_counter() - started
        sizes = [len(message.message().as_bytes()) for message in mail.outbox[:200]]
        print(
            f"send_digests: {seconds:.1f} s for {sent.alerts:,} alerts, {sent.queries:,} queries run, "
            f"{sent.emails:,} emails (mean {sum(sizes) / max(len(sizes), 1) / 1024:.0f} KB); "
            f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
        )
        listed = collections.Counter(message.body.count("\n  https://") for message in mail.outbox)
        print("emails by statements listed: " + ", ".join(f"{n}: {c:,}" for n, c in sorted(listed.items())))
        again = send_digests("daily")
        print(f"a second run at once: {again.emails} emails (nothing new)")
    finally:
        Statement.objects.filter(pk__in=drafts).update(status="draft")
        Alert.objects.all().delete()


if __name__ == "__main__":
    main()
