"""Time `manage.py import_ungdc` on the whole UN General Debate Corpus 1946-2024 (10,952 speeches).

Usage: .venv/bin/python benchmarks/import_ungdc.py [--runs 1] [--corpus PATH [PATH...]] [--speakers XLSX]

By default both archives are imported (UNGDC_1946-2013.tgz and UNGDC_2014-2024.tgz); `--corpus
../shared/data/ungdc/UNGDC_2014-2024.tgz` times the 2,132 speeches of 2014-2024 alone, as before.

Each run imports into a scratch database of its own on the configured server (DATABASE_URL, or the
embedded one), made like a test database (test_<name>_<pid>: migrated, then the demo loaded) and dropped
afterwards, so a developer's data is never touched. A run times a cold import, then a re-import, which
must change nothing. Prints the times, their medians and the counts.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplotrack.settings")
# Production settings (DEBUG off: no query log to slow the import down), with values only a site needs.
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ.setdefault("EMBEDDED_DATABASE", "1")  # Unless DATABASE_URL names another server.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")  # A command, as manage.py runs it.

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from diplotrack.shared_data import UNGDC  # noqa: E402
from statements.models import (  # noqa: E402
    Official,
    Organization,
    Position,
    Source,
    Statement,
    StatementTopic,
    Topic,
)

DATA = UNGDC
ARCHIVES = [DATA / "UNGDC_1946-2013.tgz", DATA / "UNGDC_2014-2024.tgz"]
TARGETS = {10952: 180, 2132: 60}  # Speeches: seconds, for the whole corpus and for 2014-2024 alone.
# States that no longer exist, under their own codes (ISO 3166-3): each must have its speeches.
FORMER_STATES = ["SUHH", "YUCS", "CSHH", "DDDE", "YDYE", "BYAA", "CSXX"]


def import_corpus(corpus, speakers):
    out = io.StringIO()
    start = time.perf_counter()
    paths = [str(path) for path in corpus]
    call_command("import_ungdc", *paths, "--speakers", str(speakers), stdout=out, stderr=io.StringIO())
    seconds = time.perf_counter() - start
    lines = out.getvalue().splitlines()
    figures = dict(line.split(": ", 1) for line in lines if line.split(":")[0] in {"imported", "updated", "skipped"})
    return seconds, figures, out.getvalue()


def counts():
    histories = [Statement, Official, Position, Organization, Source]
    return {
        "statements": Statement.objects.filter(external_id__startswith="ungdc:").count(),
        "officials": Official.objects.filter(statements__external_id__startswith="ungdc:").distinct().count(),
        "positions": Position.objects.count(),
        "organizations": Organization.objects.count(),
        "sources": Source.objects.filter(publisher="United Nations").count(),
        "topic links": StatementTopic.objects.filter(machine_assigned=True).count(),
        "mentions": Statement.mentioned_countries.through.objects.count(),
        "history rows": sum(model.history.count() for model in histories),
    }


def check_machine_topics():
    """The topics the import assigned are those the terms find in the statements' stored words."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM statements_statement statement JOIN statements_topic topic
                ON topic.search_terms <> ''
               AND ts_filter(statement.search_vector, '{a}')
                   @@ websearch_to_tsquery('english', statements_unaccent(topic.search_terms))
             WHERE statement.external_id LIKE 'ungdc:%%'
            """
        )
        (expected,) = cursor.fetchone()
    assigned = StatementTopic.objects.filter(machine_assigned=True, statement__external_id__startswith="ungdc:")
    assert assigned.count() == expected, (assigned.count(), expected)


def one_run(corpus, speakers):
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("load_demo", stdout=io.StringIO())
        cold, figures, output = import_corpus(corpus, speakers)
        before = counts()
        warm, again, _ = import_corpus(corpus, speakers)
        after = counts()
        assert again["imported"] == "0" and again["updated"] == "0", again
        assert before == after, (before, after)
        imported = Q(statement_links__statement__external_id__startswith="ungdc:")
        topics = list(
            Topic.objects.exclude(search_terms="")
            .annotate(n=Count("statement_links", filter=imported))
            .values_list("slug", "n")
        )
        check_machine_topics()
        cho = Official.objects.get(slug="cho-tae-yul")
        assert Statement.objects.filter(external_id="ungdc:KOR:2024", official=cho).exists()
        assert "unknown country code" not in output, output
        former = dict(
            Statement.objects.filter(country__in=FORMER_STATES)
            .values_list("country")
            .annotate(n=Count("id"))
            .order_by()
        )
        after["former states' speeches"] = former
        return cold, warm, figures, after, topics, output
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--corpus", type=Path, nargs="+", default=ARCHIVES)
    parser.add_argument("--speakers", type=Path, default=DATA / "Speakers_by_session.xlsx")
    args = parser.parse_args()
    missing = [str(path) for path in args.corpus if not path.exists()]
    if missing:
        sys.exit(f"The corpus is not at {', '.join(missing)}.")

    colds, warms = [], []
    for run in range(1, args.runs + 1):
        cold, warm, figures, after, topics, output = one_run(args.corpus, args.speakers)
        colds.append(cold)
        warms.append(warm)
        print(f"run {run}: cold import {cold:.1f} s, re-import {warm:.1f} s (changed nothing)", flush=True)

    print(
        f"\nimport of {figures['imported']} speeches: median {statistics.median(colds):.1f} s over {args.runs} run(s)"
    )
    print(f"re-import: median {statistics.median(warms):.1f} s")
    imported = int(figures["imported"])
    if imported in TARGETS:
        print(f"target: {imported} speeches in at most {TARGETS[imported]} s")
    print("\ncounts after the import (the demo included):")
    for name, value in after.items():
        print(f"  {name}: {value}")
    print(f"  skipped: {figures['skipped']}")
    print("\nstatements per topic (of the imported speeches):")
    for slug, n in sorted(topics, key=lambda pair: -pair[1]):
        print(f"  {slug}: {n} ({n / int(figures['imported']):.0%})")
    print("\nthe import's summary (last run):")
    print(output)


if __name__ == "__main__":
    main()
