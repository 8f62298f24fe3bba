"""Import the UN General Debate Corpus: each speech a published statement, each speaker one official.

    python manage.py import_ungdc PATH [PATH...] [--speakers XLSX] [--since YEAR] [--until YEAR]

Each PATH is one of the corpus's .tgz archives (UNGDC_1946-2013.tgz, UNGDC_2014-2024.tgz), an unpacked folder, or a
folder holding the archives (all of them are read); the speakers sheet is looked for beside or inside them. Each
session (year) is imported in one transaction, one import at a time per database: statements.ungdc.importer says how.
"""

import sys
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from statements.models import Topic
from statements.ungdc import importer

MANY = 20  # Files skipped for one reason beyond which the summary counts them instead of listing them.


class Command(BaseCommand):
    help = "Import the UN General Debate Corpus (a .tgz or a folder) as published speeches with their speakers."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            type=Path,
            metavar="PATH",
            help="The corpus: UNGDC_*.tgz archives, unpacked folders, or the folder holding the archives.",
        )
        parser.add_argument(
            "--speakers",
            type=Path,
            help=f"The speakers sheet (default: {importer.SPEAKERS_FILE} beside or inside a PATH).",
        )
        parser.add_argument("--since", type=int, metavar="YEAR", help="Only sessions from this year on.")
        parser.add_argument("--until", type=int, metavar="YEAR", help="Only sessions up to this year.")

    def handle(self, *, paths, speakers, since, until, verbosity, **options):
        if since and until and since > until:
            raise CommandError("--since comes after --until.")
        waiting = "Waiting for another import to finish: one import at a time per database."
        progress = tqdm(unit="speech", file=sys.stderr, disable=not sys.stderr.isatty())
        try:
            with importer.import_lock(waiting=lambda: self.stderr.write(waiting)):
                summary = importer.import_corpus(
                    paths,
                    speakers or importer.find_speakers(paths),
                    since=since,
                    until=until,
                    warn=self.stderr.write,
                    progress=progress,
                )
        except importer.CorpusError as error:
            raise CommandError(error) from error
        finally:
            progress.close()
        self.report(summary, verbosity)
        if summary.failed_sessions:
            raise CommandError(f"{summary.failed_sessions} session(s) failed; see the skipped files above.")

    def report(self, summary, verbosity):
        write = self.stdout.write
        write(f"imported: {summary.imported}")
        write(f"updated: {summary.updated}")
        write(f"unchanged: {summary.unchanged}")
        write(f"skipped: {len(summary.skipped)}")
        by_reason = defaultdict(list)
        for skip in summary.skipped:
            by_reason[skip.reason].append(skip.path)
        for reason, paths in by_reason.items():
            if len(paths) > MANY:  # The 8,825 macOS companions of the older archive: one line, not 8,825.
                write(f"  {len(paths)} files: {reason} ({paths[0]}, ...)")
            else:
                for path in paths:
                    write(f"  {path}: {reason}")
        if summary.notes:
            write(f"notes: {len(summary.notes)}")
            for path, note in summary.notes:
                write(f"  {path}: {note}")
        write(
            f"officials: {len(summary.speakers)} speakers, {summary.officials_created} of them new; "
            f"positions: {summary.positions_created} new, {summary.positions_extended} extended; "
            f"machine-assigned topics: {sum(summary.topics.values())}"
        )
        if verbosity >= 2:
            slugs = dict(Topic.objects.values_list("id", "slug"))
            for topic_id, count in summary.topics.most_common():
                write(f"  {slugs.get(topic_id, topic_id)}: {count}")
