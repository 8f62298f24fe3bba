"""Import the UN General Debate Corpus: each speech a published statement, each speaker one official.

    python manage.py import_ungdc PATH [--speakers XLSX] [--since YEAR] [--until YEAR]

PATH is the corpus's .tgz or its unpacked folder; the speakers sheet is looked for beside it. Each
session (year) is imported in one transaction, with bulk inserts: a few dozen queries a session.

Speakers: one Official per person and country, found by name in any order and form (the demo's "Cho
Tae-yul" is the sheet's "Tae-yul Cho"), never by surname alone; forms of address and titles are dropped
as statements/ungdc.py says. A post becomes a Position at the country's government (the European Union
for EU) from the September of the first debate it was seen in to the end of the September of the last,
unless a position of the official with that post covers the debate already. A speech without a speaker
row is the government's.

A re-import finds each statement again by its external id ("ungdc:KOR:2024") and sets again the fields
the file and the sheet give where they differ, except those a curator has changed in the admin
(Statement.locked_fields); status, review and citations are left alone. Machine topics and mentioned
countries are worked out only for new statements and for statements whose words changed, so a topic or
a country a curator removed does not come back.
"""

import contextlib
import copy
import hashlib
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.functions import MD5
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from tqdm import tqdm

from statements.models import (
    Citation,
    Country,
    Official,
    Organization,
    Position,
    Source,
    Statement,
    StatementTopic,
    Topic,
)
from statements.ungdc import reader as ungdc

CHANGE_REASON = "Imported from the UN General Debate Corpus"
SPEAKERS_FILE = "Speakers_by_session.xlsx"
CORPUS_CITATION = "UN General Debate Corpus (Jankin, Baturo and Dasandi), Harvard Dataverse, doi:10.7910/DVN/0TJX8Y"
CORPUS_URL = "https://doi.org/10.7910/DVN/0TJX8Y"

# The statement fields an import sets (the admin form's name -> the column), compared on re-import.
IMPORTED_FIELDS = {
    "text": "text",
    "kind": "kind",
    "language": "language",
    "date": "date",
    "date_precision": "date_precision",
    "occasion": "occasion",
    "official": "official_id",
    "organization": "organization_id",
    "attribution_text": "attribution_text",
    "role": "role",
    "country": "country_id",
}

# Which topics' search terms each text matches: the words parsed as the statement trigger of migration
# 0003 parses a statement's words (English, accents removed). Topics are about the words, so the
# speaker's names, which the statement's search document also holds, take no part.
MATCH_TOPICS_SQL = """
    WITH speech AS MATERIALIZED (
        SELECT number, to_tsvector('english', statements_unaccent(words)) AS document
          FROM unnest(%s::text[]) WITH ORDINALITY AS speech(words, number)
    ), topic AS MATERIALIZED (
        SELECT id, websearch_to_tsquery('english', statements_unaccent(terms)) AS query
          FROM unnest(%s::bigint[], %s::text[]) AS topic(id, terms)
    )
    SELECT speech.number, topic.id FROM speech JOIN topic ON speech.document @@ topic.query
"""


# A PostgreSQL advisory lock's key: "ungdc" in ASCII.
IMPORT_LOCK = 0x756E676463


@contextlib.contextmanager
def import_lock(stderr):
    """One import at a time per database: a second one waits, as its new officials' slugs would collide."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [IMPORT_LOCK])
        if not cursor.fetchone()[0]:
            stderr.write("Waiting for another import to finish: one import at a time per database.")
            with transaction.atomic():  # The lock outlives the transaction; the timeouts set here do not.
                cursor.execute("SET LOCAL statement_timeout = 0")
                cursor.execute("SET LOCAL lock_timeout = 0")
                cursor.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK])


@dataclass
class Summary:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    speakers: set = field(default_factory=set)
    officials_created: int = 0
    positions_created: int = 0
    positions_extended: int = 0
    topics: Counter = field(default_factory=Counter)
    failed_sessions: int = 0


class Command(BaseCommand):
    help = "Import the UN General Debate Corpus (a .tgz or a folder) as published speeches with their speakers."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The corpus: UNGDC_*.tgz or its unpacked folder.")
        parser.add_argument(
            "--speakers", type=Path, help=f"The speakers sheet (default: {SPEAKERS_FILE} beside or inside PATH)."
        )
        parser.add_argument("--since", type=int, metavar="YEAR", help="Only sessions from this year on.")
        parser.add_argument("--until", type=int, metavar="YEAR", help="Only sessions up to this year.")

    def handle(self, **options):
        with import_lock(self.stderr):
            self.import_corpus(**options)

    def import_corpus(self, *, path, speakers, since, until, verbosity, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        if since and until and since > until:
            raise CommandError("--since comes after --until.")
        self.summary = Summary()
        self.now = timezone.now()
        self.load()
        speakers_by_country = self.read_speakers(speakers or self.find_speakers(path), since, until)
        sessions = self.read_corpus(path, since, until)

        # The new speeches' topics and mentioned countries are worked out in a second thread, a session
        # ahead, while this one writes: matching topics parses each speech once more than inserting it does,
        # and that runs on a second connection (so on a second core of the database server).
        every_id = [speech.external_id for speeches in sessions.values() for speech, _ in speeches]
        known = set(Statement.objects.filter(external_id__in=every_id).values_list("external_id", flat=True))
        self.topics = list(Topic.objects.exclude(search_terms="").values_list("id", "search_terms"))
        total = sum(len(speeches) for speeches in sessions.values())
        progress = tqdm(total=total, unit="speech", file=sys.stderr, disable=not sys.stderr.isatty())
        analyst = ThreadPoolExecutor(max_workers=1)
        try:
            analyses = {
                year: analyst.submit(
                    analyse_elsewhere,
                    [(s.external_id, s.text, country) for s, country in speeches if s.external_id not in known],
                    self.topics,
                )
                for year, speeches in sorted(sessions.items())
            }
            for year, speeches in sorted(sessions.items()):
                progress.set_description(str(year))
                before = copy.deepcopy(self.summary)
                try:
                    with transaction.atomic():
                        self.import_session(year, speeches, speakers_by_country, analyses.pop(year))
                except Exception as error:  # One session's failure must not stop the others: report it.
                    self.load()  # Forget what the rolled-back transaction had created.
                    self.summary = before
                    self.summary.failed_sessions += 1
                    reason = f"the {year} session was not imported: {type(error).__name__}: {error}"
                    self.summary.skipped += [ungdc.Skip(speech.path, reason) for speech, _ in speeches]
                progress.update(len(speeches))
        finally:
            analyst.shutdown(cancel_futures=True)
            progress.close()
        self.report(verbosity)
        if self.summary.failed_sessions:
            raise CommandError(f"{self.summary.failed_sessions} session(s) failed; see the skipped files above.")

    # Reading

    def find_speakers(self, path):
        for candidate in (path / SPEAKERS_FILE, path.parent / SPEAKERS_FILE):
            if candidate.is_file():
                return candidate
        return None

    def read_speakers(self, path, since, until):
        """The sheet's rows by (year, country code)."""
        if path is None:
            self.stderr.write(f"No speakers sheet ({SPEAKERS_FILE}): every speech is attributed to its government.")
            return {}
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        try:
            rows = ungdc.read_speakers(path)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook.
            raise CommandError(f"Cannot read the speakers sheet {path}: {error}") from error
        by_country = defaultdict(list)
        for row in rows:
            if (since and row.year < since) or (until and row.year > until):
                continue
            code = ungdc.country_code(row.code, row.year, self.country_codes)
            if code:
                by_country[row.year, code].append(row)
        return by_country

    def read_corpus(self, path, since, until):
        """The speeches to import, with their country, by year; what is not a speech goes to the summary."""
        sessions = defaultdict(list)
        seen = {}
        try:
            for item in ungdc.read_corpus(path, since=since, until=until):
                if isinstance(item, ungdc.Skip):
                    self.summary.skipped.append(item)
                    continue
                country = ungdc.country_code(item.code, item.year, self.country_codes)
                if country is None:
                    self.summary.skipped.append(ungdc.Skip(item.path, f"unknown country code {item.code}"))
                elif item.external_id in seen:
                    self.summary.skipped.append(ungdc.Skip(item.path, f"a second copy of {seen[item.external_id]}"))
                else:
                    seen[item.external_id] = item.path
                    sessions[item.year].append((item, country))
                    if item.note:
                        self.summary.notes.append((item.path, item.note))
        except ungdc.READ_ERRORS as error:
            raise CommandError(f"Cannot read the corpus {path}: {error}") from error
        return sessions

    # What is in the database already

    def load(self):
        """Read what matching needs: countries, governments, officials and their names, positions, slugs."""
        countries = list(Country.objects.all())
        self.countries = {country.code: country for country in countries}
        self.country_codes = {country.code: country.code for country in countries}
        self.country_codes.update({country.alpha3: country.code for country in countries if country.alpha3})
        self.governments = {}
        for organization in Organization.objects.filter(country__isnull=False).order_by("-id"):
            union = organization.country_id == "EU"
            if organization.kind == (Organization.Kind.INTERNATIONAL if union else Organization.Kind.GOVERNMENT):
                self.governments[organization.country_id] = organization  # The oldest one wins.
        self.officials = {}
        for official in Official.objects.current().filter(country__isnull=False).order_by("-id"):
            self.index_official(official)
        self.positions = defaultdict(list)
        for position in Position.objects.order_by("id"):
            self.positions[position.official_id].append(position)
        self.sources = {}
        self.official_slugs = set(Official.objects.values_list("slug", flat=True))
        self.organization_slugs = set(Organization.objects.values_list("slug", flat=True))

    def index_official(self, official):
        for name in official.all_names:
            self.officials[official.country_id, ungdc.name_key(name)] = official

    # One session

    def import_session(self, year, speeches, speakers_by_country, analysis):
        """Import one session's speeches: speakers first, then new statements, then changed ones."""
        self.new_officials, self.renamed_officials = [], {}
        self.new_positions, self.extended_positions = [], {}
        self.new_organizations = []
        planned = [self.plan(speech, country, speakers_by_country) for speech, country in speeches]
        self.save_speakers()

        compared = [column for column in IMPORTED_FIELDS.values() if column != "text"]
        existing = {
            row["external_id"]: row
            for row in Statement.objects.filter(external_id__in=[speech.external_id for speech, _ in planned])
            .annotate(text_md5=MD5("text"))
            .values("id", "external_id", "locked_fields", "text_md5", *compared)
        }
        created, changes = [], {}
        for speech, values in planned:
            values = {column: getattr(value, "pk", value) for column, value in values.items()}
            row = existing.get(speech.external_id)
            if row is None:
                created.append((speech, values))
                continue
            # The words are compared by their MD5, to leave them in the database.
            same_words = hashlib.md5(values["text"].encode()).hexdigest() == row["text_md5"]
            row["text"] = values["text"] if same_words else None
            changed = {
                column: values[column]
                for name, column in IMPORTED_FIELDS.items()
                if name not in row["locked_fields"] and values[column] != row[column]
            }
            if changed:
                changes[row["id"]] = changed
            else:
                self.summary.unchanged += 1
        self.create_statements(year, created, analysis)
        self.update_statements(changes)

    def plan(self, speech, country, speakers_by_country):
        """The statement's fields for a speech, with its speaker found or made ready to be saved."""
        rows = speakers_by_country.get((speech.year, country), [])
        row = rows[0] if len(rows) == 1 else None
        if len(rows) > 1:
            note = f"{len(rows)} rows in the speakers sheet: attributed to the government"
            self.summary.notes.append((speech.path, note))
        government = self.government(country)
        name = ungdc.person_name(row.name) if row else ""
        role = ungdc.post_title(row.post) if row else ""
        official = self.official(name, country) if name else None
        if official and role:
            self.hold(official, government, role, speech.year)
        return speech, {
            "text": speech.text,
            "kind": Statement.Kind.SPEECH,
            "language": "en",
            "date": speech.date,
            "date_precision": Statement.DatePrecision.MONTH,
            "occasion": ungdc.occasion(speech.session),
            "official_id": official,
            "organization_id": government,
            "attribution_text": row.name if official else "",
            "role": role,
            "country_id": country,
        }

    def government(self, country):
        """The country's government (for the EU, the Union), made if need be."""
        if country not in self.governments:
            name = self.countries[country].name
            if country == "EU":
                organization = Organization(name=name, kind=Organization.Kind.INTERNATIONAL, country_id=country)
            else:
                organization = Organization(
                    name=ungdc.government_name(name), kind=Organization.Kind.GOVERNMENT, country_id=country
                )
            # As Organization.save() would, which bulk_create does not call.
            organization.slug = unique_slug(f"{organization.name} {country}", self.organization_slugs)
            self.governments[country] = organization
            self.new_organizations.append(organization)
        return self.governments[country]

    def official(self, name, country):
        """The official of that country known by that name in any form and order, or a new one."""
        official = self.officials.get((country, ungdc.name_key(name)))
        if official is None:
            official = Official(name=name, country_id=country)
            self.new_officials.append(official)
            self.summary.officials_created += 1
        elif Official.name_key(name) not in {Official.name_key(known) for known in official.all_names}:
            # "Frederick A. Mitchell" for Frederick Mitchell: kept, so that a search finds this spelling too.
            official.other_names = [*official.other_names, name]
            if official.pk:
                self.renamed_officials[official.pk] = official
        self.index_official(official)
        self.summary.speakers.add(id(official))
        return official

    def hold(self, official, government, role, year):
        """Record that the official held the post in the September of that year's debate."""
        first, last = ungdc.debate_month(year)
        key = ungdc.post_key(role)
        positions = self.positions[holder(official)]
        same_post = [position for position in positions if ungdc.post_key(position.role) == key]
        if any(covers(position, first, last) for position in same_post):
            return  # Curated positions elsewhere count too: Cho Tae-yul's at the Foreign Ministry.
        for position in same_post:
            if same_organization(position, government):
                position.start_date = min(position.start_date or first, first)
                position.end_date = max(position.end_date, last) if position.end_date else None
                if position.pk:
                    self.extended_positions[position.pk] = position
                return
        position = Position(official=official, organization=government, role=role, start_date=first, end_date=last)
        positions.append(position)
        self.new_positions.append(position)

    def save_speakers(self):
        """Save the session's new and changed organizations, officials and positions, with their history."""
        if self.new_organizations:
            bulk_create_with_history(self.new_organizations, Organization, default_change_reason=CHANGE_REASON)
        for official in self.new_officials:
            # As Official.save() would, which bulk_create does not call.
            official.sort_name = official.sort_name or official.name
            official.name_keys = sorted({key for key in map(Official.name_key, official.all_names) if key})
            official.slug = unique_slug(official.name, self.official_slugs)
        if self.new_officials:
            bulk_create_with_history(self.new_officials, Official, default_change_reason=CHANGE_REASON)
            for official in self.new_officials:
                self.positions[official.pk] = self.positions.pop(holder(official, new=True), [])
        if self.renamed_officials:
            renamed = list(self.renamed_officials.values())
            for official in renamed:
                official.name_keys = sorted({key for key in map(Official.name_key, official.all_names) if key})
                official.updated_at = self.now
                official.version += 1  # As save() does: a curator's form opened before this import is then stale.
            bulk_update_with_history(
                renamed,
                Official,
                ["other_names", "name_keys", "updated_at", "version"],
                default_change_reason=CHANGE_REASON,
            )
        for position in self.new_positions:
            position.official_id, position.organization_id = position.official.pk, position.organization.pk
        if self.new_positions:
            bulk_create_with_history(self.new_positions, Position, default_change_reason=CHANGE_REASON)
        if self.extended_positions:
            extended = list(self.extended_positions.values())
            for position in extended:
                position.version += 1  # As save() does.
            bulk_update_with_history(
                extended, Position, ["start_date", "end_date", "version"], default_change_reason=CHANGE_REASON
            )
        self.summary.positions_created += len(self.new_positions)
        self.summary.positions_extended += len(self.extended_positions)

    def create_statements(self, year, created, analysis):
        if not created:
            return
        statements = [
            Statement(
                **values,
                status=Statement.Status.PUBLISHED,
                reviewed_at=self.now,  # Reviewed by no one: imported.
                external_id=speech.external_id,
            )
            for speech, values in created
        ]
        # The statements' topics are saved first, under ids taken in advance (foreign keys are checked at
        # commit), so that the trigger parses each statement once, when it is inserted: topics added
        # afterwards would have it parse the statement again.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('statements_statement', 'id')) FROM generate_series(1, %s)",
                [len(statements)],
            )
            for statement, (pk,) in zip(statements, cursor.fetchall(), strict=True):
                statement.pk = statement.id = pk
        analysis = self.analysis_of(statements, analysis)
        self.add_topics(statements, analysis)
        Statement.objects.bulk_create(statements)
        connection.check_constraints()  # Now rather than at commit: a failure is this session's alone.
        self.set_mentions(statements, analysis)
        Statement.record_history(statements, update=False, reason=CHANGE_REASON)
        sources = {speech.session: self.source(speech.session, year) for speech, _ in created}
        citations = [
            Citation(statement=statement, source=sources[speech.session])
            for statement, (speech, _) in zip(statements, created, strict=True)
        ]
        bulk_create_with_history(citations, Citation, default_change_reason=CHANGE_REASON)
        self.summary.imported += len(statements)

    def analysis_of(self, statements, analysis):
        """{external id: (topic ids, mentioned countries)}, from the other thread or, for any it missed, here."""
        try:
            analysed = analysis.result()
        except Exception:  # The other thread failed (it could not connect, say): the work is done here.
            analysed = {}
        missed = [statement for statement in statements if statement.external_id not in analysed]
        analysed.update(analyse([(s.external_id, s.text, s.country_id) for s in missed], self.topics))
        return analysed

    def update_statements(self, changes):
        """Set the changed fields; new words get their machine topics and mentioned countries again."""
        if not changes:
            return
        statements = list(Statement.objects.filter(pk__in=changes).defer("search_vector", "topic_ids"))
        for statement in statements:
            for column, value in changes[statement.pk].items():
                setattr(statement, column, value)
            statement.updated_at = self.now
            statement.version += 1  # As save() does: a curator's form opened before this import is then stale.
        columns = {column.removesuffix("_id") for changed in changes.values() for column in changed}
        Statement.objects.bulk_update(statements, sorted(columns | {"updated_at", "version"}))
        reworded = [statement for statement in statements if "text" in changes[statement.pk]]
        analysis = analyse([(s.external_id, s.text, s.country_id) for s in reworded], self.topics)
        self.set_mentions([s for s in reworded if "mentioned_countries" not in s.locked_fields], analysis)
        retopic = [statement for statement in reworded if "topics" not in statement.locked_fields]
        StatementTopic.objects.filter(statement__in=retopic, machine_assigned=True).delete()
        self.add_topics(retopic, analysis)
        Statement.record_history(statements, update=True, reason=CHANGE_REASON)
        self.summary.updated += len(statements)

    def add_topics(self, statements, analysis):
        """The machine-assigned topics; a topic the statement has already (a curator confirmed it) stays."""
        pairs = [(s.pk, topic_id) for s in statements for topic_id in analysis[s.external_id][0]]
        self.summary.topics.update(topic_id for _, topic_id in pairs)
        insert_pairs(
            f"INSERT INTO {StatementTopic._meta.db_table} (statement_id, topic_id, machine_assigned) "
            "SELECT statement, topic, true FROM unnest(%s::bigint[], %s::bigint[]) AS pair(statement, topic) "
            "ON CONFLICT (statement_id, topic_id) DO NOTHING",
            pairs,
        )

    def set_mentions(self, statements, analysis):
        """Mentioned countries: every country the detector finds in the words, except the speaker's own."""
        through = Statement.mentioned_countries.through
        through.objects.filter(statement__in=[statement.pk for statement in statements]).delete()
        pairs = [
            (statement.pk, code)
            for statement in statements
            for code in analysis[statement.external_id][1]
            if code in self.countries
        ]
        insert_pairs(
            f"INSERT INTO {through._meta.db_table} (statement_id, country_id) "
            "SELECT * FROM unnest(%s::bigint[], %s::varchar[])",
            pairs,
        )

    def source(self, session, year):
        """The record of the session's General Debate: one source for all its speeches."""
        if (session, year) not in self.sources:
            title = f"General Debate of the {ungdc.ordinal(session)} session of the UN General Assembly ({year})"
            source = Source.objects.filter(title=title, publisher="United Nations").order_by("id").first()
            if source is None:
                source = Source(
                    title=title,
                    publisher="United Nations",
                    author=CORPUS_CITATION,
                    kind=Source.Kind.TRANSCRIPT,
                    language="en",
                    archive_url=CORPUS_URL,
                )
                source._change_reason = CHANGE_REASON
                source.save()
            self.sources[session, year] = source
        return self.sources[session, year]

    # The summary

    def report(self, verbosity):
        summary = self.summary
        write = self.stdout.write
        write(f"imported: {summary.imported}")
        write(f"updated: {summary.updated}")
        write(f"unchanged: {summary.unchanged}")
        write(f"skipped: {len(summary.skipped)}")
        for skip in summary.skipped:
            write(f"  {skip.path}: {skip.reason}")
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


def analyse(items, topics):
    """{external id: (ids of the topics whose terms the words match, countries mentioned)}.

    items: (external id, words, speaker's country) triples. topics: (id, search terms) pairs, read
    beforehand on the importing connection (this may run on another, which does not see what that one
    has not committed).
    """
    analysed = {external_id: ([], ungdc.mentioned_countries(words, own)) for external_id, words, own in items}
    if items and topics:
        with connection.cursor() as cursor:
            ids, terms = zip(*topics, strict=True)
            cursor.execute(MATCH_TOPICS_SQL, [[words for _, words, _ in items], list(ids), list(terms)])
            for number, topic_id in cursor.fetchall():
                analysed[items[number - 1][0]][0].append(topic_id)
    return analysed


def analyse_elsewhere(items, topics):
    """analyse() on this thread's own connection, closed afterwards."""
    try:
        return analyse(items, topics)
    finally:
        connection.close()


def insert_pairs(sql, pairs):
    """Run an INSERT ... SELECT FROM unnest(%s, %s) with the pairs as two arrays: one query for them all."""
    if pairs:
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(column) for column in zip(*pairs, strict=True)])


def holder(official, new=False):
    """The key of an official's positions: its id or, before it is saved, the object itself."""
    return ("new", id(official)) if new or not official.pk else official.pk


def same_organization(position, organization):
    if position.organization_id is not None:
        return position.organization_id == organization.pk
    return position.organization is organization  # Both new: the objects, without a query.


def covers(position, first, last):
    return (position.start_date is None or position.start_date <= last) and (
        position.end_date is None or position.end_date >= first
    )


def unique_slug(text, taken, max_length=80):
    """As statements.models.unique_slug, against a set of the slugs taken, which it extends."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug
