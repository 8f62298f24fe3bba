"""Print the quotations of news articles with their speakers, dates and countries, as JSON lines or for people.

    python manage.py extract_quotes FILE [FILE ...] [--published YYYY-MM-DD] [--format json|text]
                                   [--kind article|transcript|release] [--doubled-marks]

Each file is read as the kind of text it is (a news article, a briefing's transcript, a press release), detected
from its form unless --kind says; the JSON line gives the kind read. Quotations printed between two apostrophes or
backquotes (''…'', ``…'', as news archives print quotation marks) are left out unless --doubled-marks asks for them;
the JSON line counts those left out (doubled_left_out), and the listing says so.

Offsets are Python string indices into each file decoded as UTF-8, its newlines untouched. A file that cannot
be read is reported on stderr and skipped; the exit status is 1 when any was.
"""

import argparse
import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from statements.curation.linking import match_official
from statements.ingest import extract
from statements.ingest.kinds import KINDS


class Unreadable(Exception):
    """A file that is not an article to read."""


def published_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r}: give it as YYYY-MM-DD") from None


def read_article(path: Path) -> str:
    """The file's text, decoded as UTF-8 with its newlines untouched (offsets count every character)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except IsADirectoryError:
        raise Unreadable("is a directory, not a file") from None
    except PermissionError:
        raise Unreadable("permission denied") from None
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    if b"\x00" in data:
        raise Unreadable("a binary file (it holds NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unreadable(f"not UTF-8 text (an invalid byte at offset {error.start})") from None
    if not text.strip():
        raise Unreadable("empty file")
    return text


class Command(BaseCommand):
    help = "Extract the quotations of news articles (text files), with speakers, dates and countries."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Articles as pasted from a news page (UTF-8).")
        parser.add_argument(
            "--published",
            type=published_date,
            metavar="YYYY-MM-DD",
            help='The publication date, against which "said Tuesday" and "yesterday" are read.',
        )
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["json", "text"],
            default="json",
            help="json: one line per file; text: a listing for people.",
        )
        parser.add_argument(
            "--kind",
            choices=KINDS,
            help="Read every file as this kind of text; by default each file's kind is detected from its form.",
        )
        parser.add_argument(
            "--doubled-marks",
            action="store_true",
            help="Also return the quotations between two apostrophes or backquotes (''…'', ``…''), as news archives "
            "print quotation marks; by default they are left out, and counted.",
        )

    def handle(self, *args, files, published, output_format, kind=None, doubled_marks=False, **options):
        self.officials = {}
        failed = 0
        for name in files:
            try:
                text = read_article(Path(name))
            except Unreadable as error:
                self.stderr.write(f"{name}: {error}")
                failed += 1
                continue
            extraction = extract(text, published=published, kind=kind, doubled_marks=doubled_marks)
            records = [
                quotation.as_dict() | {"official": self.official_id(quotation.speaker)}
                for quotation in extraction.quotations
            ]
            if output_format == "json":
                line = {
                    "file": name,
                    "kind": extraction.kind,
                    "quotes": records,
                    "doubled_left_out": extraction.doubled_left_out,
                }
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            else:
                self.write_listing(name, records, extraction.kind, extraction.doubled_left_out)
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be read.")

    def official_id(self, speaker):
        if speaker is None or not speaker.name:
            return None
        key = (speaker.name, speaker.country)
        if key not in self.officials:
            try:
                official, _ = match_official(speaker.name, speaker.country)
            except DatabaseError as error:
                raise CommandError(f"cannot match speakers to officials, the database failed: {error}") from None
            self.officials[key] = official.pk if official else None
        return self.officials[key]

    def write_listing(self, name, records, kind, doubled_left_out):
        count = f"{len(records) or 'no'} quotation{'' if len(records) == 1 else 's'}"
        self.stdout.write(f"{name}: {count}" + ("" if kind == "article" else f", read as a {kind}"))
        if doubled_left_out:
            self.stdout.write(
                f"     {doubled_left_out} more between doubled marks (''…'') left out: --doubled-marks returns them"
            )
        for number, record in enumerate(records, 1):
            speaker = record["speaker"] or "speaker unknown"
            if record["official"]:
                speaker += f" (official #{record['official']})"
            said = f"{record['mention']} {record['cue'] or ''}".strip() if record["mention"] else record["cue"]
            details = [record["date"] or "no date", record["kind"], speaker]
            if said:
                details.append(f"as “{said}”")
            if record["countries"]:
                details.append("countries " + ", ".join(record["countries"]))
            self.stdout.write(f"{number:3}. " + " · ".join(details))
            self.stdout.write(f"     “{record['quote']}” [{record['start']}:{record['end']}]")
        self.stdout.write("")
