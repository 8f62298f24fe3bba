"""Import the UN General Debate Corpus: each speech a published statement, each speaker one official.

import_corpus() reads the corpus and the speakers sheet (statements.ungdc.reader) and imports each session (year)
in one transaction, with bulk inserts (COPY for new rows: statements.models.copy_create) and no query per row: a few
dozen queries a session. A SessionImporter imports one session; the Speakers registry finds and makes, across
sessions, who speaks: governments, officials and their positions.

Speakers: one Official per person. statements.ungdc.people reads the whole speakers sheet and says which rows are one
person (names normalised and compared within a country, across time; relatives and namesakes kept apart), and why;
each person is the official an earlier import made for their speeches, else an official of the country known by one
of their names (the demo's "Cho Tae-yul" is the sheet's "Tae-yul Cho"), else a new one, with the evidence in
match_evidence and every name the import gives their speeches (renamed in later sessions instead, an official would
have the database parse its statements again). A post becomes a Position at the country's government (the European
Union for EU) attested in the month of each debate the official spoke at, unless a term of the official with that
post covers the debate: nobody stated a term, so none is made up. A speech without a speaker row is the government's.

A re-import finds each statement again by its external id ("ungdc:KOR:2024") and sets again the fields the file
and the sheet give where they differ, except those a curator has changed in the admin (Statement.locked_fields);
status, review and citations are left alone. Machine topics and mentioned countries are worked out only for new
statements and for statements whose words changed, so a topic or a country a curator removed does not come back.

Bulk inserts call no save(): what save() would do, each row gets from the model's own rule (Official.derive_names,
Slugged.fill_slug, Versioned.raise_versions); the derived columns and counts come from the triggers.
"""

import contextlib
import hashlib
import os
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path

from django.db import connection, transaction
from django.db.models.functions import MD5
from django.utils import timezone

from statements.models import (
    Citation,
    Country,
    MorphemesField,
    Official,
    Organization,
    Position,
    Source,
    Statement,
    StatementTopic,
    Topic,
    bulk_update_with_history,
    copy_create,
    copy_create_with_history,
)
from statements.ungdc import people, reader

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

ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar")

# A PostgreSQL advisory lock's key: "ungdc" in ASCII.
IMPORT_LOCK = 0x756E676463


class CorpusError(Exception):
    """The corpus or the speakers sheet cannot be read."""


@contextlib.contextmanager
def import_lock(waiting=lambda: None):
    """One import at a time per database: a second one calls waiting(), then waits, as its new officials' slugs
    would collide."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [IMPORT_LOCK])
        if not cursor.fetchone()[0]:
            waiting()
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

    def add(self, other):
        """Count in another summary's figures (a session's, once it is committed)."""
        for name in (f.name for f in fields(self)):
            mine = getattr(self, name)
            if isinstance(mine, set):
                mine |= getattr(other, name)
            elif isinstance(mine, list | Counter):
                mine += getattr(other, name)
            else:
                setattr(self, name, mine + getattr(other, name))


def import_corpus(paths, speakers_sheet=None, *, since=None, until=None, warn=lambda message: None, progress=None):
    """Import the corpus at paths (its .tgz archives, unpacked folders, or a folder holding the archives) with the
    speakers sheet (None: the speeches are their governments'); return the Summary. A session that fails is rolled
    back alone and counted as failed.

    warn(message) is told what the user should know; progress, when given, is a tqdm-like bar of the speeches.
    """
    parts = corpus_parts(paths)
    summary, now = Summary(), timezone.now()
    speakers = Speakers()
    if speakers_sheet is None:
        warn(f"No speakers sheet ({SPEAKERS_FILE}): every speech is attributed to its government.")
    sheet = read_speakers(speakers_sheet, since, until, speakers) if speakers_sheet else {}
    sessions = read_corpus(parts, since, until, speakers, summary)
    speakers.expect(sessions, sheet)

    # The countries the new speeches mention are found in a second thread, a session ahead, while this one waits for
    # the database to parse what it writes. Their topics are matched afterwards, in the database, against the words
    # it parsed (statements.derived keeps them when the topics change): each speech is parsed once.
    every_id = [speech.external_id for speeches in sessions.values() for speech, _ in speeches]
    known = set(Statement.objects.filter(external_id__in=every_id).values_list("external_id", flat=True))
    topics = list(Topic.objects.exclude(search_terms="").values_list("id", "search_terms"))
    if progress is not None:
        progress.total = sum(len(speeches) for speeches in sessions.values())
    analyst = ThreadPoolExecutor(max_workers=1)
    try:
        analyses = {
            year: analyst.submit(
                mentions, [(s.external_id, s.text, country) for s, country in speeches if s.external_id not in known]
            )
            for year, speeches in sorted(sessions.items())
        }
        for year, speeches in sorted(sessions.items()):
            if progress is not None:
                progress.set_description(str(year))
            session = SessionImporter(year, speeches, sheet, speakers, topics, analyses.pop(year), now)
            try:
                with transaction.atomic():
                    session.run()
            except Exception as error:  # One session's failure must not stop the others: report it.
                speakers.load()  # Forget what the rolled-back transaction had created.
                summary.failed_sessions += 1
                reason = f"the {year} session was not imported: {type(error).__name__}: {error}"
                summary.skipped += [reader.Skip(speech.path, reason) for speech, _ in speeches]
            else:
                summary.add(session.summary)
            if progress is not None:
                progress.update(len(speeches))
    finally:
        analyst.shutdown(cancel_futures=True)
    return summary


def corpus_parts(paths):
    """The archives and folders to read: each path given, except that a folder holding archives (as
    ../shared/data/ungdc holds UNGDC_1946-2013.tgz and UNGDC_2014-2024.tgz) stands for them."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    parts = []
    for path in map(Path, paths):
        if not path.exists():
            raise CorpusError(f"{path} does not exist.")
        archives = sorted(p for p in path.iterdir() if p.name.endswith(ARCHIVE_SUFFIXES)) if path.is_dir() else []
        parts += archives if archives and not (path / "TXT").exists() else [path]
    return list(dict.fromkeys(parts))


def find_speakers(paths):
    """The speakers sheet inside a corpus folder or beside a corpus, if there."""
    for path in map(Path, [paths] if isinstance(paths, str | os.PathLike) else paths):
        for candidate in (path / SPEAKERS_FILE, path.parent / SPEAKERS_FILE):
            if candidate.is_file():
                return candidate
    return None


def read_speakers(path, since, until, speakers):
    """The sheet's rows by (year, country code)."""
    if not path.is_file():
        raise CorpusError(f"{path} does not exist.")
    try:
        rows = reader.read_speakers(path)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook.
        raise CorpusError(f"Cannot read the speakers sheet {path}: {error}") from error
    # The whole sheet, whatever years are imported: a person is the same whichever sessions come first.
    speakers.know_people(people.identify(people.sheet_rows(rows, speakers.country_code)))
    by_country = defaultdict(list)
    for row in rows:
        if (since and row.year < since) or (until and row.year > until):
            continue
        code = speakers.country_code(row.code, row.year)
        if code:
            by_country[row.year, code].append(row)
    return by_country


def read_corpus(parts, since, until, speakers, summary):
    """The speeches to import, with their country, by year; what is not a speech goes to the summary."""
    sessions = defaultdict(list)
    seen = {}
    for path in parts:
        read_part(path, since, until, speakers, summary, sessions, seen)
    return sessions


def read_part(path, since, until, speakers, summary, sessions, seen):
    try:
        for item in reader.read_corpus(path, since=since, until=until):
            if isinstance(item, reader.Skip):
                summary.skipped.append(item)
                continue
            country = speakers.country_code(item.code, item.year)
            if country is None:
                summary.skipped.append(reader.Skip(item.path, f"unknown country code {item.code}"))
            elif item.external_id in seen:
                summary.skipped.append(reader.Skip(item.path, f"a second copy of {seen[item.external_id]}"))
            else:
                seen[item.external_id] = item.path
                sessions[item.year].append((item, country))
                if item.note:
                    summary.notes.append((item.path, item.note))
    except reader.READ_ERRORS as error:
        raise CorpusError(f"Cannot read the corpus {path}: {error}") from error


class Speakers:
    """Who speaks, across sessions: countries, governments, officials by name, their positions, the slugs taken.

    What a session makes or changes is kept until save() writes it, in the session's transaction; after a session
    is rolled back, load() forgets it.
    """

    def __init__(self):
        self.people, self.found = {}, []  # (sheet code, year, name as printed) -> people.Person; all of them
        self.names_of = {}  # id(person) -> the names the import will give their speeches, in the sessions' order
        self.load()

    def load(self):
        """Read what matching needs: countries, governments, officials and their names, positions, slugs."""
        countries = list(Country.objects.all())
        self.countries = {country.code: country for country in countries}
        self.codes = {country.code: country.code for country in countries}
        self.codes.update({country.alpha3: country.code for country in countries if country.alpha3})
        self.governments = {}
        for organization in Organization.objects.filter(country__isnull=False).order_by("-id"):
            union = organization.country_id == "EU"
            if organization.kind == (Organization.Kind.INTERNATIONAL if union else Organization.Kind.GOVERNMENT):
                self.governments[organization.country_id] = organization  # The oldest one wins.
        self.officials, self.by_id = {}, {}
        for official in Official.objects.current().filter(country__isnull=False).order_by("-id"):
            self.index(official)
            self.by_id[official.pk] = official
        # The official of each imported speech, as merges left it: a re-import finds its people through them.
        self.speech_officials = {
            external_id: merged_into or official
            for external_id, official, merged_into in Statement.objects.filter(
                external_id__startswith="ungdc:", official__isnull=False
            ).values_list("external_id", "official", "official__merged_into")
        }
        self.claim()  # Each person's official (of_person), and whose each official is (claimed).
        self.positions = defaultdict(list)
        for position in Position.objects.order_by("id"):
            self.positions[position.official_id].append(position)
        self.official_slugs = set(Official.objects.values_list("slug", flat=True))
        self.organization_slugs = set(Organization.objects.values_list("slug", flat=True))
        self.forget_changes()

    def forget_changes(self):
        self.new_organizations, self.new_officials, self.new_positions = [], [], []
        self.renamed_officials, self.extended_positions = {}, {}

    def know_people(self, found):
        """Take the people the whole sheet holds (people.identify)."""
        self.found = found
        self.people = {row.id: person for person in found for row in person.rows}
        self.claim()

    def claim(self):
        """Give each person the official earlier imports gave most of their speeches. Two people may have one: a
        curator merged them (Jaime Gama of 1996 and Mr. Gama of 1985), and the import keeps what they did."""
        self.of_person, self.claimed = {}, {}
        for person in self.found:
            # The sheet's codes are the files' (after the reader's corrections): ungdc:RUS:1990.
            votes = Counter(self.speech_officials.get(f"ungdc:{row.id[0]}:{row.year}") for row in person.rows)
            votes.pop(None, None)
            for pk, _ in votes.most_common():
                if pk in self.by_id:
                    self.of_person[id(person)] = self.by_id[pk]
                    self.claimed.setdefault(pk, id(person))
                    break

    def expect(self, sessions, sheet):
        """Note the names each person's speeches will be imported under, so that a new official takes them all
        when it is made: naming it again in each later session would have the database parse its earlier
        statements again each time (official_names_changed), the most part of a cold import's time with older
        sessions, where a speaker is "Mr. GROMYKO" one year and "Andrei Gromyko" the next."""
        self.names_of = defaultdict(list)
        for year, speeches in sorted(sessions.items()):
            for _, country in speeches:
                rows = sheet.get((year, country), [])
                person = self.person(rows[0]) if len(rows) == 1 else None
                if person is not None:
                    self.names_of[id(person)].append(reader.person_name(rows[0].name))

    def other_names(self, person, name):
        """The person's names expected in this import but name, one per name key."""
        keys, others = {Official.name_key(name)}, []
        for other in self.names_of.get(id(person), []) if person is not None else []:
            if Official.name_key(other) not in keys:
                keys.add(Official.name_key(other))
                others.append(other)
        return others

    def person(self, row):
        return self.people.get((row.code, row.year, row.name))

    def country_code(self, code, year):
        """DiploTrack's country code for a corpus or sheet code in that year (former states have their own)."""
        return reader.country_code(code, year, self.codes)

    def index(self, official):
        for name in official.all_names:
            self.officials[official.country_id, Official.name_key(name)] = official
            self.officials[official.country_id, reader.name_key(name)] = official

    def government(self, country):
        """The country's government (for the EU, the Union), made if need be."""
        if country not in self.governments:
            name = self.countries[country].name
            if country == "EU":
                organization = Organization(name=name, kind=Organization.Kind.INTERNATIONAL, country_id=country)
            else:
                organization = Organization(
                    name=reader.government_name(name), kind=Organization.Kind.GOVERNMENT, country_id=country
                )
            organization.fill_slug(taken=self.organization_slugs)
            self.governments[country] = organization
            self.new_organizations.append(organization)
        return self.governments[country]

    def official(self, name, country, person=None):
        """The person's official (people.Person: their rows of the sheet), or, without one, the official of that
        country known by that name in any form and order; else a new one."""
        if person is not None:
            official = self.person_official(person, name, country)
        else:
            official = self.officials.get((country, reader.name_key(name)))
        if official is None:
            shown = person.full_name if person is not None else name  # "George Bush", where this row says "Bush".
            official = Official(
                name=shown,
                country_id=country,
                other_names=self.other_names(person, shown),
                match_evidence=person.evidence if person else [],
            )
            self.new_officials.append(official)
            if person is not None:
                self.of_person[id(person)], self.claimed[id(official)] = official, id(person)
        if Official.name_key(name) not in {Official.name_key(known) for known in official.all_names}:
            # "Frederick A. Mitchell" for Frederick Mitchell: kept, so that a search finds this spelling too.
            official.other_names = [*official.other_names, name]
            if official.pk:
                self.renamed_officials[official.pk] = official
        if person is not None and person.evidence and official.match_evidence != person.evidence:
            official.match_evidence = person.evidence  # The sheet, or how it is read, changed: the why with it.
            if official.pk:
                self.renamed_officials[official.pk] = official
        self.index(official)
        return official

    def person_official(self, person, name, country):
        """The person's official: the one earlier imports gave their speeches (claim()), or one made for them
        already, else an official of the country known by one of their names that is no other person's; else None."""
        if id(person) in self.of_person:
            return self.of_person[id(person)]
        for key in dict.fromkeys(Official.name_key(known) for known in [name, *person.names]):
            found = self.officials.get((country, key))
            if found is not None and (found.pk or id(found)) not in self.claimed:
                self.of_person[id(person)], self.claimed[found.pk or id(found)] = found, id(person)
                return found
        return None

    def hold(self, official, government, role, year):
        """Record that the official was seen holding the post in the September of that year's debate."""
        first, last = reader.debate_month(year)
        key = reader.post_key(role)
        positions = self.positions[holder(official)]
        same_post = [position for position in positions if reader.post_key(position.role) == key]
        if any(covers(position, first, last) for position in same_post if not position.is_attestation):
            return  # A term covers it (a curator's, at the Foreign Ministry too: Cho Tae-yul's).
        for position in same_post:
            if position.is_attestation and same_organization(position, government):
                if position.attest(first) and position.pk:
                    self.extended_positions[position.pk] = position
                return
        position = Position(official=official, organization=government, role=role, attested_on=[first])
        positions.append(position)
        self.new_positions.append(position)

    def save(self, summary, now):
        """Save the new and changed organizations, officials and positions, with their history; count them."""
        if self.new_organizations:
            copy_create_with_history(Organization, self.new_organizations, CHANGE_REASON)
        for official in self.new_officials:
            official.derive_names()
            official.fill_slug(taken=self.official_slugs)
        if self.new_officials:
            copy_create_with_history(Official, self.new_officials, CHANGE_REASON)
            for official in self.new_officials:
                self.positions[official.pk] = self.positions.pop(holder(official, new=True), [])
                self.by_id[official.pk] = official
                if id(official) in self.claimed:
                    self.claimed[official.pk] = self.claimed.pop(id(official))
        if self.renamed_officials:
            renamed = list(self.renamed_officials.values())
            for official in renamed:
                official.derive_names()
                official.updated_at = now
            Official.raise_versions(renamed)  # A curator's form opened before this import is then stale.
            bulk_update_with_history(
                Official,
                renamed,
                ["other_names", "name_keys", "match_evidence", "updated_at", "version"],
                CHANGE_REASON,
            )
        for position in self.new_positions:
            position.official_id, position.organization_id = position.official.pk, position.organization.pk
        if self.new_positions:
            copy_create_with_history(Position, self.new_positions, CHANGE_REASON)
        if self.extended_positions:
            extended = list(self.extended_positions.values())
            Position.raise_versions(extended)
            bulk_update_with_history(Position, extended, ["attested_on", "version"], CHANGE_REASON)
        summary.officials_created += len(self.new_officials)
        summary.positions_created += len(self.new_positions)
        summary.positions_extended += len(self.extended_positions)
        self.forget_changes()


class SessionImporter:
    """Import one session's speeches: speakers first, then new statements, then changed ones (call run() in a
    transaction). Its figures are in .summary.

    speeches: (reader.Speech, country code) pairs; sheet: the speakers sheet's rows by (year, country code);
    topics: (id, search terms) pairs; analysis: a Future of mentions()'s answer for the new speeches, or None;
    now: when the import is (its reviews and updates are dated then).
    """

    def __init__(self, year, speeches, sheet, speakers, topics, analysis=None, now=None):
        self.year, self.speeches, self.sheet = year, speeches, sheet
        self.speakers, self.topics, self.analysis = speakers, topics, analysis
        self.now = now or timezone.now()
        self.summary = Summary()

    def run(self):
        planned = [self.plan(speech, country) for speech, country in self.speeches]
        self.speakers.save(self.summary, self.now)

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
        self.create_statements(created)
        self.update_statements(changes)

    def plan(self, speech, country):
        """The statement's fields for a speech, with its speaker found or made ready to be saved."""
        rows = self.sheet.get((speech.year, country), [])
        row = rows[0] if len(rows) == 1 else None
        if len(rows) > 1:
            note = f"{len(rows)} rows in the speakers sheet: attributed to the government"
            self.summary.notes.append((speech.path, note))
        government = self.speakers.government(country)
        name = reader.person_name(row.name) if row else ""
        role = reader.post_title(row.post) if row else ""
        official = self.speakers.official(name, country, self.speakers.person(row)) if name else None
        if official:
            self.summary.speakers.add(id(official))
        if official and role:
            self.speakers.hold(official, government, role, speech.year)
        return speech, {
            "text": speech.text,
            "kind": Statement.Kind.SPEECH,
            "language": "en",
            "date": speech.date,
            "date_precision": Statement.DatePrecision.MONTH,
            "occasion": reader.occasion(speech.session),
            "official_id": official,
            "organization_id": government,
            "attribution_text": row.name if official else "",
            "role": role,
            "country_id": country,
        }

    def create_statements(self, created):
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
        copy_create(Statement, statements)  # The trigger parses each one's words.
        self.add_topics(statements)
        self.set_mentions(statements, self.mentions_of(statements))
        connection.check_constraints()  # Now rather than at commit: a failure is this session's alone.
        Statement.record_history(statements, update=False, reason=CHANGE_REASON)
        sources = {session: self.source(session) for session in {speech.session for speech, _ in created}}
        citations = [
            Citation(statement=statement, source=sources[speech.session])
            for statement, (speech, _) in zip(statements, created, strict=True)
        ]
        copy_create_with_history(Citation, citations, CHANGE_REASON)
        self.summary.imported += len(statements)

    def mentions_of(self, statements):
        """{external id: mentioned countries}, from the other thread or, for any it missed, here."""
        try:
            found = self.analysis.result() if self.analysis is not None else {}
        except Exception:  # The other thread failed: the work is done here.
            found = {}
        missed = [statement for statement in statements if statement.external_id not in found]
        return found | mentions([(s.external_id, s.text, s.country_id) for s in missed])

    def update_statements(self, changes):
        """Set the changed fields; new words get their machine topics and mentioned countries again."""
        if not changes:
            return
        statements = list(
            Statement.objects.filter(pk__in=changes).defer("search_vector", "topic_ids", "search_morphemes")
        )
        for statement in statements:
            for column, value in changes[statement.pk].items():
                setattr(statement, column, value)
            statement.updated_at = self.now
        Statement.raise_versions(statements)  # A curator's form opened before this import is then stale.
        columns = {column.removesuffix("_id") for changed in changes.values() for column in changed}
        if columns & MorphemesField.sources.keys():  # bulk_update() writes the values as they are: read them first.
            field = Statement._meta.get_field("search_morphemes")
            for statement in statements:
                field.pre_save(statement, False)
            columns.add("search_morphemes")
        Statement.objects.bulk_update(statements, sorted(columns | {"updated_at", "version"}))
        reworded = [statement for statement in statements if "text" in changes[statement.pk]]
        found = mentions([(s.external_id, s.text, s.country_id) for s in reworded])
        self.set_mentions([s for s in reworded if "mentioned_countries" not in s.locked_fields], found)
        retopic = [statement for statement in reworded if "topics" not in statement.locked_fields]
        StatementTopic.objects.filter(statement__in=retopic, machine_assigned=True).delete()
        self.add_topics(retopic)
        Statement.record_history(statements, update=True, reason=CHANGE_REASON)
        self.summary.updated += len(statements)

    def add_topics(self, statements):
        """The machine-assigned topics, matched against the words as stored; a topic the statement has already (a
        curator confirmed it) stays."""
        pairs = Topic.matching_stored([statement.pk for statement in statements], self.topics)
        self.summary.topics.update(topic_id for _, topic_id in pairs)
        insert_pairs(
            f"INSERT INTO {StatementTopic._meta.db_table} (statement_id, topic_id, machine_assigned) "
            "SELECT statement, topic, true FROM unnest(%s::bigint[], %s::bigint[]) AS pair(statement, topic) "
            "ON CONFLICT (statement_id, topic_id) DO NOTHING",
            pairs,
        )

    def set_mentions(self, statements, found):
        """Mentioned countries: every country the detector finds in the words, except the speaker's own."""
        through = Statement.mentioned_countries.through
        through.objects.filter(statement__in=[statement.pk for statement in statements]).delete()
        pairs = [
            (statement.pk, code)
            for statement in statements
            for code in found[statement.external_id]
            if code in self.speakers.countries
        ]
        insert_pairs(
            f"INSERT INTO {through._meta.db_table} (statement_id, country_id) "
            "SELECT * FROM unnest(%s::bigint[], %s::varchar[])",
            pairs,
        )

    def source(self, session):
        """The record of the session's General Debate: one source for all its speeches."""
        title = f"General Debate of the {reader.ordinal(session)} session of the UN General Assembly ({self.year})"
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
        return source


def mentions(items):
    """{external id: the countries the words mention, but the speaker's own}, for (external id, words, speaker's
    country) triples. Plain Python, without the database: it may run in another thread."""
    return {external_id: reader.mentioned_countries(words, own) for external_id, words, own in items}


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
