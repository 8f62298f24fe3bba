"""A statement as the public sees it: its public fields, defined once.

Every output that shows a statement reads them from `Shown`: the lists' cards and the statement page, the CSV and
Popolo downloads, the API, the feeds and the admin. So the speaker is named, a date written and a link made the
same way in each, and a new public field is one property here (plus a column or a line where an output shows it).

`Shown` reads a row of plain values (VALUES, with the statement's topics, mentions and sources as lists of dicts),
got one of three ways, each a fixed number of queries: `page()` for a page of a list (the explorer's cards, the API's
list, a feed: its ids, then their rows and each list for all of them, sent together: two round trips whatever the
page size), `streamed()`
for a download (the same rows with their lists, in one query through a server-side cursor), `Shown.of()` for a
model instance fetched with_related(). Each reader asks only for the lists it shows.
"""

import datetime
import functools
import hashlib
import weakref

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DatabaseError, transaction
from django.db.models import OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from diplotrack.replicas import reading
from statements import search
from statements.models import (
    Citation,
    Statement,
    StatementTopic,
    address_parts,
    filled,
    local_country_name,
    local_date,
    organization_label,
    speaker_label,
    statement_slug,
)
from statements.query import ids_of

# The statement's own columns a row holds, as values() names them.
VALUES = [
    "pk",
    "text",
    "kind",
    "language",
    "original_language",
    "date",
    "date_precision",
    "occasion",
    "attribution_text",
    "role",
    "official__name",
    "official__slug",
    "organization__name",
    "organization__slug",
    "organization__country_id",
    "country_id",
    "country__name",
]
KINDS = dict(Statement.Kind.choices)
MENTIONS = Statement.mentioned_countries.through


def value(name):
    """A field that is the row's value as read."""
    return property(lambda shown: shown.row[name], doc=f"The statement's {name}.")


class once:
    """A field computed when first read, then kept: a template reads a card's speaker three times.

    functools.cached_property, without the lock it takes on each first read before Python 3.12.
    """

    def __init__(self, function):
        self.function = function
        self.__doc__ = function.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, shown, owner=None):
        if shown is None:
            return self
        value = shown.__dict__[self.name] = self.function(shown)
        return value


class Links:
    """The addresses a statement's fields link to, relative or under `site` (https://diplotrack.example), each
    pattern reversed once a process (statements.models.address) and kept here with the site: a page links to the
    same topic many times, a download to a million statements, and each address() asks the script prefix again."""

    def __init__(self, site=""):
        self.site = site
        self.patterns = {}

    def __call__(self, name, *args):
        parts = self.patterns.get((name, len(args)))
        if parts is None:
            first, *others = address_parts(name, len(args))
            parts = self.patterns[name, len(args)] = [self.site + first, *others]
        return filled(parts, args)


class Shown:
    """A statement's public fields, from a row of its VALUES and its lists of topics, mentions and sources.

    Links are relative, or absolute under `site` (https://diplotrack.example) for a download or an API answer.
    """

    # The reader's language when a page asked it once for all its statements (statements.site.cards.cards): each
    # asked it again for its date and its country, through a thread-local. None: asked when needed.
    reader = None

    def __init__(self, row, *, links=None):
        self.row = row
        self.links = links or Links()

    def __getitem__(self, name):
        # Templates try a key before an attribute: answering it spares them a failed lookup for each field.
        return getattr(self, name)

    def __eq__(self, other):
        return isinstance(other, Shown) and (self.row, self.links.site) == (other.row, other.links.site)

    __hash__ = None

    @classmethod
    def of(cls, statement, *, site="", links=None):
        """A model instance's fields: its official, organization and country fetched with it (select_related), and
        its lists, read only when asked for, prefetched (Statement.objects.with_related()). Its links under `site`,
        or those given (an answer's, which reverse each pattern once for all its statements)."""
        official, organization, country = statement.official, statement.organization, statement.country
        return cls(
            InstanceRow(
                statement,
                {
                    **{name: getattr(statement, name) for name in VALUES if "__" not in name},
                    "official__name": official.name if official else None,
                    "official__slug": official.slug if official else None,
                    "organization__name": organization.name if organization else None,
                    "organization__slug": organization.slug if organization else None,
                    "organization__country_id": organization.country_id if organization else None,
                    "country__name": country.name if country else None,
                },
            ),
            links=links or Links(site),
        )

    pk = value("pk")
    text = value("text")
    kind = value("kind")
    language = value("language")
    original_language = value("original_language")
    date = value("date")
    date_precision = value("date_precision")
    occasion = value("occasion")
    attribution_text = value("attribution_text")
    role = value("role")
    official = value("official__name")
    official_slug = value("official__slug")
    organization = value("organization__name")
    organization_slug = value("organization__slug")
    country = value("country__name")
    country_code = value("country_id")
    sources = value("sources")

    @once
    def kind_display(self):
        return KINDS[self.kind]

    @once
    def date_display(self):
        return local_date(self.date, self.date_precision, self.reader)

    @once
    def speaker(self):
        """The official's name; else the attribution as printed; else the organization, with its country."""
        organization = organization_label(self.organization, self.row["organization__country_id"])
        return speaker_label(self.official, self.attribution_text, organization)

    @once
    def url(self):
        """The statement's page, at the address that names its speaker and first words."""
        slug = statement_slug(self.speaker, self.text)
        return self.links("statement_detail", self.pk, slug) if slug else self.links("statement_detail", self.pk)

    @once
    def permalink(self):
        """The statement's page by its id alone: a download's or a feed entry's link, which an edit leaves alone."""
        return self.links("statement_detail", self.pk)

    @once
    def official_url(self):
        return self.links("official_detail", self.official_slug) if self.official_slug else None

    @once
    def country_url(self):
        return self.links("country_detail", self.country_code) if self.country_code else None

    @once
    def topics(self):
        return [{**topic, "url": self.links("topic_detail", topic["slug"])} for topic in self.row["topics"]]

    @property
    def local_country(self):
        """The country's name in the reader's language, as the pages show it (`country`: the curators' own)."""
        return local_country_name(self.country_code, self.country, self.reader) if self.country else None

    @property
    def mention_codes(self):
        """The codes of the countries it mentions, as read: a download's million rows need neither the addresses nor
        the names in the reader's language that `mentions` makes."""
        return [country["code"] for country in self.row["mentions"]]

    @once
    def mentions(self):
        """The countries it mentions, each with its address and its name in the reader's language (local_name)."""
        return [
            {**country, "url": self.links("country_detail", country["code"])}
            | {"local_name": local_country_name(country["code"], country["name"], self.reader)}
            for country in self.row["mentions"]
        ]


class InstanceRow(dict):
    """A model instance's row for Shown: its lists read from the instance when first asked for.

    In the orders of LISTS: Topic's and Country's (by name), Citation's (by id), as the instance's prefetched.
    """

    LISTS = {
        "topics": lambda statement: [{"slug": topic.slug, "name": topic.name} for topic in statement.topics.all()],
        "mentions": lambda statement: [
            {"code": country.code, "name": country.name} for country in statement.mentioned_countries.all()
        ],
        "sources": lambda statement: [
            {"publisher": source.publisher, "url": source.url, "published_on": source.published_on}
            for source in (citation.source for citation in statement.citations.all())
        ],
    }

    def __init__(self, statement, values):
        super().__init__(values)
        self.statement = statement

    def __missing__(self, name):
        self[name] = self.LISTS[name](self.statement)
        return self[name]


# What the API writes of a statement's source (statements.opendata.serializers.CitationSerializer).
SOURCE_FIELDS = ["id", "title", "publisher", "author", "published_on", "kind", "url", "archive_url"]

# A statement's lists: the rows of each, in their order, and what each item holds (as values() names it).
LISTS = {
    "topics": (StatementTopic.objects.order_by("topic__name"), {"slug": "topic__slug", "name": "topic__name"}),
    "mentions": (MENTIONS.objects.order_by("country__name"), {"code": "country_id", "name": "country__name"}),
    "sources": (
        Citation.objects.order_by("id"),
        {"publisher": "source__publisher", "url": "source__url", "published_on": "source__published_on"},
    ),
    # The sources with all that the API writes of each.
    "citations": (
        Citation.objects.order_by("id"),
        {
            **{name: f"source__{name}" for name in SOURCE_FIELDS},
            "start_offset": "start_offset",
            "end_offset": "end_offset",
        },
    ),
}

# The lists Shown reads (its topics, mentions and sources).
SHOWN_LISTS = ("topics", "mentions", "sources")


def page(statements, shown=Shown, *, lists=SHOWN_LISTS, columns=(), site="", words=None):
    """The statements of a sliced, ordered queryset (or those Found already: statements.query) as `shown` (Shown or
    a subclass), with these of their lists and these columns beside VALUES in their rows; with a search's `words`,
    each row's `headline` and `original_headline` (search.Headline); their links under `site` if given (an email's):
    two round trips whatever the size (the ids, then the rows and lists); one for the ids Found."""
    # The page's ids first, then their rows: sorting thousands of matches by relevance would otherwise
    # join every match to its speaker and country before keeping 25 (the planner expects few matches).
    # Each list a query of its own, sent with the rows' query: plain rows to read, where JSON in the rows (as a
    # download reads them) would be decoded, and its dates parsed, in Python.
    ids = ids_of(statements)
    if not ids:
        return []
    values = {PAGE_IDS: ids}
    if words:
        values[SEARCHED], values[PREFIXES] = search.headline_parts(words)
        rows = rows_written(tuple(columns), marked="korean" if values[PREFIXES] else "words")
    else:
        rows = rows_written(tuple(columns))
    rows, *items = read([rows, *(list_written(name) for name in lists)], values)
    rows = {row["pk"]: row | {name: [] for name in lists} for row in rows}
    for name, each in zip(lists, items, strict=True):
        fields = LISTS[name][1]
        for item in each:
            rows[item["statement_id"]][name].append({key: item[field] for key, field in fields.items()})
    links = Links(site)
    return [shown(rows[pk], links=links) for pk in ids if pk in rows]


# A page's ids go into its queries as one array, and a search's words as parameters of their own, so that the SQL
# of each is the same for every page: the ORM writes it once a process (rows_written, list_written), where writing
# it took Django longer than PostgreSQL took to run it (0.57 ms for the rows, 0.23 a list, 1.55 for the rows with a
# search's headlines: benchmarks/render_cost.py). What goes where among a written query's parameters:
PAGE_IDS = object()  # The ids.
SEARCHED = "\ue002searched\ue002"  # The search's words as analysed (search.headline_parts); its Korean prefixes:
PREFIXES = "\ue002prefixes\ue002"  # Unicode's private use, which no statement or search holds.
MARKERS = (PAGE_IDS, SEARCHED, PREFIXES)


def page_ids():
    return RawSQL("SELECT unnest(%s::bigint[])", [PAGE_IDS])


@functools.cache
def rows_written(columns, marked=None):
    """The rows' query; `marked`: with the headlines of a search's "words", or of words with "korean" prefixes."""
    rows = Statement.objects.published().filter(pk__in=page_ids())
    if marked:
        query = search.headline_query(SEARCHED, PREFIXES if marked == "korean" else None)
        original = search.Headline(query, column="original_text", language="original_language")
        rows = rows.annotate(headline=search.Headline(query), original_headline=original)
        columns = (*columns, "headline", "original_headline")
    return written(rows.values(*VALUES, *columns))


@functools.cache
def list_written(name):
    items, fields = LISTS[name]
    return written(items.filter(statement__in=page_ids()).values("statement_id", *fields.values()))


def written(values):
    """A values() queryset as a query that `read` prepares on each connection (Written), read as PostgreSQL answers
    it: so none of its columns may need Django's conversion of what the database answers."""
    compiler = values.query.get_compiler(values.db)
    sql, params = compiler.as_sql()
    converting = compiler.get_converters([column for column, _, _ in compiler.select])
    if converting:
        raise ValueError(f"columns {sorted(converting)} need Django's conversion: read them through the ORM")
    return Written(sql, params)


class Written:
    """A written query, prepared on each connection that reads it (PostgreSQL's PREPARE) and executed by its name.

    Planning a page's rows, joined to their officials, organizations and countries among the statements' many
    indexes, took PostgreSQL 1.0 ms, and running them 0.3 (EXPLAIN ANALYZE, at 1M): the rows' message with their
    topics and sources took 3.9 ms planned each time, 1.9 prepared (benchmarks/render_cost.py). Its plan is the
    same for any page's ids, an index scan by id, so PostgreSQL's generic plan serves them all. Its own values (a
    status) are written into it; the page's (PAGE_IDS...) are its parameters, in their order.
    """

    def __init__(self, sql, params):
        self.sql, self.params = sql, params
        self.parameters = list(dict.fromkeys(param for param in params if any(param is m for m in MARKERS)))
        self.name = "page_" + hashlib.sha256(f"{sql}\n{params!r}".encode()).hexdigest()[:16]
        self.prepare = None  # Its PREPARE, written by the first cursor that reads it (with the connection's adapters).

    def prepared(self, cursor):
        if self.prepare is None:
            stand_ins = {id(marker): f"\ue003{at}\ue003" for at, marker in enumerate(self.parameters, 1)}
            sql = cursor.mogrify(self.sql, [stand_ins.get(id(param), param) for param in self.params])
            for at in range(1, len(self.parameters) + 1):
                sql = sql.replace(f"'\ue003{at}\ue003'", f"${at}")
            # Sent with parameters, so its own % signs doubled.
            self.prepare = f"PREPARE {self.name} AS {sql}".replace("%", "%%")
        return self.prepare

    def execute(self):
        return (
            f"EXECUTE {self.name}({', '.join(['%s'] * len(self.parameters))})"
            if self.parameters
            else f"EXECUTE {self.name}"
        )


# The names prepared on each connection (psycopg's): none on a new one; None after a read that failed, whose
# PREPAREs may or may not have run (an aborted transaction, a cancel), until the server is asked. A PREPARE outlives
# the transaction that sent it, even one rolled back.
_prepared = weakref.WeakKeyDictionary()


def prepared_on(connection, cursor):
    """The names prepared on this connection: asked of its server only after a read failed on it."""
    known = _prepared.get(connection, set())
    if known is None:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        known = {name for (name,) in cursor.fetchall()}
    _prepared[connection] = known
    return known


def read(queries, values):
    """The rows of written queries with these values in their parameters' places (PAGE_IDS: the ids...): for each
    query, its rows as dicts by the names values() gives. Sent as one message, so one round trip, with the PREPARE
    of each that this connection has not prepared yet (Written)."""
    with reading().cursor() as cursor:
        connection = cursor.cursor.connection
        known = prepared_on(connection, cursor)
        new = [query for query in queries if query.name not in known]
        message = [query.prepared(cursor.cursor) for query in new] + [query.execute() for query in queries]
        try:
            cursor.execute("; ".join(message), [values[param] for query in queries for param in query.parameters])
        except DatabaseError:
            _prepared[connection] = None
            raise
        known.update(query.name for query in new)
        for _ in new:  # Their results: none.
            cursor.nextset()
        results = []
        for at in range(len(queries)):
            if at:
                cursor.nextset()
            names = [column.name for column in cursor.description]
            results.append([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])
    return results


def streamed(statements, *, site="", lists=SHOWN_LISTS, chunk_size=2000):
    """Each statement of a queryset, shown with these of its lists, read through a server-side cursor held open
    in a transaction: for a download of any size, rows come chunk_size at a time, and none is kept.

    One query: the lists as one JSON value a row, each row decoded once (a million, for a download).
    """
    each = {name: LISTS[name] for name in lists}
    rows = statements.annotate(
        lists=JSONObject(
            **{
                name: ArraySubquery(items.filter(statement=OuterRef("pk")).values(json=JSONObject(**fields)))
                for name, (items, fields) in each.items()
            }
        )
    )
    links = Links(site)
    with transaction.atomic():
        for row in rows.values(*VALUES, "lists").iterator(chunk_size=chunk_size):
            row.update(row.pop("lists"))
            for source in row.get("sources", ()):
                if source["published_on"]:  # JSON's text
                    source["published_on"] = datetime.date.fromisoformat(source["published_on"])
            yield Shown(row, links=links)
