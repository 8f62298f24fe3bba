"""Server time of the explorer's searches on real speeches: the whole UN General Debate Corpus, 1946-2024.

    .venv/bin/python benchmarks/real_search.py [--requests 30] [--only TEXT]

The synthetic million (benchmarks/explorer.py) is made of paragraphs of about 460 characters; a UN speech holds
18,100 on average, and what a page costs for each of its statements (a search's headlines, above all; a speech's own
page, its first words) grows with its length. This imports the corpus once (`manage.py import_ungdc`, about two
minutes) into a database of its own on the configured server, `diplotrack_bench_ungdc`, then times searches and the
pages of the longest speech and of one of average length, each request through Django's full stack in this process,
as explorer.py does: medians and 95th percentiles over --requests runs after three warm-up runs, each answer computed
(the shared cache of public answers is off). Compare runs made close together: this machine is shared and noisy.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE", "diplotrack_bench_ungdc")

from benchmarks import explorer  # noqa: E402

# The speeches of both archives (as benchmarks/import_ungdc.py counts them): fewer, and an import was cut short.
SPEECHES = 10_952
REQUESTS = {
    "no filter": "/statements/",
    "q=climate": "/statements/?q=climate",
    "q=climate, by relevance": "/statements/?q=climate&sort=relevance",
    'q="nuclear weapons"': "/statements/?q=%22nuclear+weapons%22",
    "q=nuclear -iran": "/statements/?q=nuclear+-iran",
    "q=sanctions, country=KR": "/statements/?q=sanctions&country=KR",
}


def speech_pages():
    """The pages of the longest speech and of one of average length (the first of 17,000-19,000 characters)."""
    from django.db.models.functions import Length

    from statements.models import Statement

    speeches = Statement.objects.published().annotate(length=Length("text"))
    longest = speeches.order_by("-length", "pk").first()
    average = speeches.filter(length__range=(17_000, 19_000)).order_by("pk").first()
    return {
        f"the longest speech's page ({longest.length:,} characters)": longest.get_absolute_url(),
        "its embed": f"/statements/{longest.pk}/embed/",
        f"a speech's page ({average.length:,} characters)": average.get_absolute_url(),
    }


def setup():
    """The corpus's database, imported on first use: a missing corpus is an error, with the path looked for."""
    from diplotrack.shared_data import UNGDC

    archives = sorted(UNGDC.glob("UNGDC_*.tgz"))
    if not archives:
        sys.exit(f"The UN General Debate Corpus is not in {UNGDC} (UNGDC_*.tgz): see the README's shared data.")
    explorer.setup(0)  # Migrated, with production's settings; nothing generated.
    from django.core.management import call_command
    from django.db import connection

    from statements.models import Statement

    have = Statement.objects.count()
    if have < SPEECHES:  # Imported again, an interrupted import's sessions are left as they are and the rest added.
        print(f"Importing {', '.join(path.name for path in archives)} (once)...", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
        call_command("import_ungdc", *map(str, archives), verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE statements_statement")
            cursor.execute("RESET statement_timeout")
        have = Statement.objects.count()
    return have


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only", default="", help="Only the requests whose names hold this text.")
    options = parser.parse_args()
    have = setup()

    from django.db.models import Avg
    from django.db.models.functions import Length
    from django.test import Client

    from statements.models import Statement

    length = Statement.objects.aggregate(length=Avg(Length("text")))["length"]
    print(f"{have:,} statements in {explorer.BENCH_DATABASE}, {length:,.0f} characters on average; ", end="")
    print(f"{options.requests} runs each.\n")
    print(f"{'request':52} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    client = Client()
    for name, url in (REQUESTS | speech_pages()).items():
        if options.only in name:
            median, p95, queries = explorer.measure(client, url, {}, options.requests)
            print(f"{name:52} {median:10.1f} {p95:8.1f} {queries:>8}", flush=True)


if __name__ == "__main__":
    main()
