"""Generate a large synthetic data set for benchmarks: statements made of real words, realistically spread.

Countries, officials and topics follow Zipf-like spreads (a few speak or come up far more than the
rest); the words are paragraphs of the UN General Debate Corpus when it is at hand, and a share of the statements
(--korean, a tenth by default) are in Korean, made of the Korean sentences beside this file. Rows are loaded
with COPY into a staging table and moved in one INSERT ... SELECT, with the secondary indexes rebuilt
afterwards. The triggers stay on: the search documents, topic ids and counts are theirs (statements.derived),
as for every other way in; the Korean statements' morphemes are read here (statements.korean), as a save would,
each sentence once.
"""

import datetime
import functools
import io
import random
import tarfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from diplotrack.shared_data import UNGDC
from statements import korean
from statements.models import Country, Official, Organization, Position, Source, Statement, Topic
from statements.text import normalized

PREFIX = "synthetic:"
DEFAULT_CORPUS = UNGDC / "UNGDC_2014-2024.tgz"
DEMO_ARTICLE = Path(__file__).with_name("demo_article.txt")
# Korean statements are 2 to 8 of these sentences, written for DiploTrack in the style of Korean officials.
KOREAN_SENTENCES = Path(__file__).with_name("korean_sentences.txt")
# The most quoted countries first; the rest follow in alphabetical order.
LEADING_COUNTRIES = ["US", "CN", "RU", "KR", "JP", "FR", "GB", "DE", "IN", "UA", "KP", "IL", "IR", "TR", "BR"]
TOPIC_AREAS = [
    "Climate change",
    "Nuclear non-proliferation",
    "Korean Peninsula",
    "War in Ukraine",
    "Middle East",
    "United Nations reform",
    "Sustainable development",
    "Terrorism",
    "Global health",
    "Trade",
]
TOPIC_ASPECTS = [
    "Negotiations",
    "Financing",
    "Sanctions",
    "Humanitarian aid",
    "Security",
    "Human rights",
    "Technology",
    "Regional cooperation",
    "Public opinion",
]
GIVEN_NAMES = (
    "Anna Ahmed Akira Ali Amina Carlos Chen Daniel David Elena Emmanuel Fatima Hana Hassan Ivan Jae-won Jin "
    "John Jorge Julia Kenji Kofi Laura Lin Luis Maria Mei Min-jun Mohammed Nadia Olga Omar Paolo Pierre Priya "
    "Rahul Sara Seo-yeon Sergei Sofia Takeshi Tomas Wei Yuki Yusuf Zainab"
).split()
FAMILY_NAMES = (
    "Abdullah Ahn Alvarez Bauer Cho Chung Costa Dubois Fischer Garcia Gupta Haddad Hoffmann Ibrahim Ito Jang "
    "Kang Khan Kim Kowalski Lee Li Lopez Martin Mendes Moreau Mueller Nakamura Nguyen Okafor Park Petrov Rossi "
    "Sato Schmidt Silva Singh Smith Suzuki Tanaka Wang Yamamoto Yoon Zhang"
).split()
KINDS = [("direct", 50), ("partial", 15), ("paraphrase", 15), ("speech", 20)]


class Command(BaseCommand):
    help = "Fill the database with synthetic statements for benchmarks (refuses where real statements exist)."

    def add_arguments(self, parser):
        parser.add_argument("--statements", type=int, default=100_000)
        parser.add_argument("--officials", type=int, default=20_000)
        parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="UNGDC .tgz to take words from.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--korean", type=float, default=0.1, help="Share of statements in Korean (0 to 1).")
        parser.add_argument(
            "--force", action="store_true", help="Add synthetic statements even where real statements exist."
        )

    def handle(self, *args, statements, officials, corpus, seed, force, korean, **options):
        if statements < 1 or officials < 1:
            raise CommandError("--statements and --officials must be positive.")
        if not 0 <= korean <= 1:
            raise CommandError("--korean is a share of the statements: from 0 to 1.")
        self.korean_share = korean
        real = Statement.objects.exclude(external_id__startswith=PREFIX)
        if real.exists() and not force:
            raise CommandError(
                f"This database holds {real.count()} real statement(s); generate synthetic data in a database of "
                "its own (set DATABASE_URL), or pass --force to add it beside them."
            )
        started = time.monotonic()
        rng = random.Random(seed)
        paragraphs = self.paragraphs(corpus)
        with transaction.atomic():
            # Copies and index builds of a million rows take minutes, past the site's DATABASE_STATEMENT_TIMEOUT.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
            self.remove_previous()
            countries = self.countries()
            topics = self.topics()
            ministries = self.ministries(countries)
            people = self.officials(officials, countries, ministries, rng)
            source = Source.objects.create(
                title="Synthetic benchmark data", publisher="DiploTrack generator", kind=Source.Kind.TRANSCRIPT
            )
            self.statements(statements, rng, paragraphs, countries, topics, ministries, people, source)
        self.stdout.write(f"Generated {statements:,} statements in {time.monotonic() - started:.0f} s.")

    def paragraphs(self, corpus):
        if corpus.exists():
            paragraphs = []
            with tarfile.open(corpus) as archive:
                for member in archive:
                    if member.isfile() and member.name.endswith(".txt") and "/._" not in member.name:
                        text = normalized(archive.extractfile(member).read().decode("utf-8", errors="replace"))
                        paragraphs += [line.strip() for line in text.splitlines() if 150 <= len(line.strip()) <= 1500]
            self.stdout.write(f"Words from {len(paragraphs):,} paragraphs of {corpus.name}.")
            return paragraphs
        self.stdout.write(f"{corpus} is absent: taking words from the demo article instead.")
        return [line for line in DEMO_ARTICLE.read_text().splitlines() if len(line) > 100]

    def remove_previous(self):
        synthetic = Statement.objects.filter(external_id__startswith=PREFIX)
        if not synthetic.exists():
            return
        with connection.cursor() as cursor:
            for table in [
                "statements_statementtopic",
                "statements_statement_mentioned_countries",
                "statements_citation",
            ]:
                cursor.execute(
                    f"DELETE FROM {table} WHERE statement_id IN "
                    "(SELECT id FROM statements_statement WHERE external_id LIKE %s)",
                    [PREFIX + "%"],
                )
            cursor.execute("DELETE FROM statements_statement WHERE external_id LIKE %s", [PREFIX + "%"])
        Position.objects.filter(official__slug__startswith="syn-").delete()
        Official.objects.filter(slug__startswith="syn-").delete()
        Organization.objects.filter(slug__startswith="syn-").delete()
        Topic.objects.filter(slug__startswith="syn-", parent__isnull=False).delete()
        Topic.objects.filter(slug__startswith="syn-").delete()
        Source.objects.filter(publisher="DiploTrack generator").delete()

    def countries(self):
        states = dict(Country.objects.filter(kind=Country.Kind.STATE).values_list("code", "name"))
        rest = sorted(code for code in states if code not in LEADING_COUNTRIES)
        return [code for code in LEADING_COUNTRIES if code in states] + rest

    def topics(self):
        parents = Topic.objects.bulk_create(
            Topic(name=area, slug=f"syn-{n}", description="Synthetic topic") for n, area in enumerate(TOPIC_AREAS)
        )
        return Topic.objects.bulk_create(
            Topic(name=f"{parent.name}: {aspect}", slug=f"{parent.slug}-{m}", parent=parent)
            for parent in parents
            for m, aspect in enumerate(TOPIC_ASPECTS)
        )

    def ministries(self, countries):
        return {
            organization.country_id: organization
            for organization in Organization.objects.bulk_create(
                Organization(name="Ministry of Foreign Affairs", slug=f"syn-mofa-{code.lower()}", country_id=code)
                for code in countries
            )
        }

    def officials(self, count, countries, ministries, rng):
        country_weights = zipf(len(countries))
        rows = []
        for n in range(count):
            name = f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
            country = rng.choices(countries, cum_weights=country_weights)[0]
            official = Official(name=name, country_id=country, slug=f"syn-{n}")
            official.derive_names()  # As save() would, which bulk_create does not call.
            rows.append(official)
        created = Official.objects.bulk_create(rows, batch_size=5000)
        Position.objects.bulk_create(
            (
                Position(
                    official=official,
                    organization=ministries[official.country_id],
                    role=rng.choice(["Minister of Foreign Affairs", "Deputy Minister", "Ambassador", "Spokesperson"]),
                    start_date=datetime.date(rng.randint(1995, 2020), 1, 1),
                )
                for official in created
            ),
            batch_size=5000,
        )
        by_country = {}
        for official in created:
            by_country.setdefault(official.country_id, []).append(official.pk)
        return by_country

    def statements(self, count, rng, paragraphs, countries, topics, ministries, people, source):
        country_weights = zipf(len(countries))
        topic_weights = zipf(len(topics))
        kind_values, kind_weights = zip(*KINDS, strict=True)
        start = datetime.date(2000, 1, 1).toordinal()
        span = datetime.date(2025, 12, 31).toordinal() - start
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM statements_statement")
            first_id = cursor.fetchone()[0] + 1
            cursor.execute(
                """CREATE TEMP TABLE synthetic_statement (
                    id bigint, text text, kind text, date date, official_id bigint, organization_id bigint,
                    attribution_text text, country_id text, status text, language text, search_morphemes text
                ) ON COMMIT DROP"""
            )
            links, mentions = io.StringIO(), io.StringIO()
            with cursor.copy("COPY synthetic_statement FROM STDIN") as copy:
                for pk in range(first_id, first_id + count):
                    country = rng.choices(countries, cum_weights=country_weights)[0]
                    speakers = people.get(country)
                    official = rng.choice(speakers) if speakers and rng.random() > 0.08 else None
                    chosen = {
                        topic.pk for topic in rng.choices(topics, cum_weights=topic_weights, k=rng.randint(1, 3))
                    }
                    for topic_id in chosen:
                        links.write(f"{pk}\t{topic_id}\tf\n")
                    for code in set(rng.choices(countries, cum_weights=country_weights, k=rng.randint(0, 3))):
                        mentions.write(f"{pk}\t{code}\n")
                    if rng.random() < self.korean_share:
                        text, language, morphemes = korean_statement(rng)
                    else:
                        text = rng.choice(paragraphs)
                        language, morphemes = "en", paragraph_morphemes(text)
                    copy.write_row(
                        [
                            pk,
                            text,
                            rng.choices(kind_values, weights=kind_weights)[0],
                            datetime.date.fromordinal(start + rng.randrange(span)),
                            official,
                            ministries[country].pk,
                            "" if official else "a senior official",
                            country,
                            "published" if rng.random() > 0.01 else "draft",
                            language,
                            morphemes,
                        ]
                    )
            self.stdout.write("Rows written to staging; loading them into the statements table...")
            indexes = self.drop_secondary_indexes(cursor)
            # The topic links first, under the ids the statements will have (foreign keys are checked at commit): the
            # statement trigger finds them as it inserts each statement; added afterwards, each would cost an update.
            with cursor.copy(
                "COPY statements_statementtopic (statement_id, topic_id, machine_assigned) FROM STDIN"
            ) as copy:
                copy.write(links.getvalue())
            cursor.execute(
                """INSERT INTO statements_statement (
                    id, text, kind, language, original_text, original_language, date, date_precision, occasion,
                    official_id, organization_id, attribution_text, role, country_id, status, reviewed_at,
                    created_at, updated_at, external_id, locked_fields, version, search_morphemes, translated_by
                )
                SELECT id, text, kind, language, '', '', date, 'day', '', official_id, organization_id,
                       attribution_text, '', country_id, status, %(now)s, %(now)s, %(now)s, %(prefix)s || id, '{}', 1,
                       search_morphemes::tsvector, ''
                  FROM synthetic_statement""",
                {"now": now, "prefix": PREFIX},
            )
            # The checks now: PostgreSQL builds no index on a table with checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with cursor.copy(
                "COPY statements_statement_mentioned_countries (statement_id, country_id) FROM STDIN"
            ) as copy:
                copy.write(mentions.getvalue())
            cursor.execute(
                "INSERT INTO statements_citation (statement_id, source_id) SELECT id, %s FROM synthetic_statement",
                [source.pk],
            )
            self.stdout.write("Rebuilding indexes...")
            for definition in indexes:
                cursor.execute(definition)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('statements_statement', 'id'), "
                "(SELECT max(id) FROM statements_statement))"
            )
        with connection.cursor() as cursor:
            # Every table it filled: a planner without statistics guesses badly (a parallel plan to read
            # the citations of 25 statements). Autovacuum would get there, minutes later.
            cursor.execute("ANALYZE")

    def drop_secondary_indexes(self, cursor):
        """Drop the statement table's indexes that no constraint needs, returning how to rebuild them."""
        cursor.execute(
            """SELECT indexname, indexdef FROM pg_indexes
                WHERE tablename = 'statements_statement'
                  AND indexname NOT IN (SELECT conname FROM pg_constraint)"""
        )
        rows = cursor.fetchall()
        for name, _ in rows:
            cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _, definition in rows]


@functools.cache
def korean_sentences():
    """The Korean sentences with the units each of their words is indexed as, read once."""
    sentences = [line.strip() for line in KOREAN_SENTENCES.read_text().splitlines() if line.strip()]
    return [(sentence, korean.word_units(sentence)) for sentence in sentences]


@functools.lru_cache(maxsize=1024)
def paragraph_morphemes(text):
    """The morphemes a paragraph's save would store: None but for the odd one with Korean words in it."""
    return korean.document((text, "A")) if korean.has_hangul(text) else None


def korean_statement(rng):
    """Words of 2 to 8 Korean sentences: (text, language, morphemes as the statement's save would store them)."""
    chosen = rng.choices(korean_sentences(), k=rng.randint(2, 8))
    words = [units for _, sentence_units in chosen for units in sentence_units]
    return " ".join(sentence for sentence, _ in chosen), "ko", korean.tsvector([(words, "A")])


def zipf(n, exponent=1.0):
    """Cumulative Zipf weights for n ranked choices."""
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**exponent
        cumulative.append(total)
    return cumulative
