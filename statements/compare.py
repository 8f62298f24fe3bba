"""Side by side: two to four columns of statements, each a country, an official or search words, under the same
shared filters (a topic, dates, anything the explorer takes).

    comparison = compare(request.GET, user=request.user)
    comparison.columns    # each with its label, its ExplorerQuery, counts, top topics, mentions, latest statements
    comparison.timeline   # one series per column, on the same periods
    comparison.notes      # what was not used, and why

`?a=country:CN&b=country:US&topic=climate-change&date_from=2019-01-01`: each column is the explorer's query with
its own filter fixed (an official's page is the same thing), so that a column counts and lists exactly what the
explorer's link under it shows.
"""

import dataclasses
import functools

from django.urls import reverse

from diplotrack.replicas import reading
from statements import timeline
from statements.filters import Note, reference
from statements.models import country_code_named, local_country_name
from statements.query import ExplorerQuery, Found
from statements.site.cards import cards

COLUMNS = "abcd"
KINDS = {"country": "country", "official": "official", "q": "q"}  # As written in a column: the filter it fixes.
LATEST = 5
TOP = 6
# The countries a column mentions are counted in its latest statements, up to this many: a bounded read however
# many statements a column has (the figure says when it is a sample).
MENTIONS_READ = 1000


@dataclasses.dataclass
class Column:
    key: str  # "a" to "d": its place in the URL.
    kind: str  # "country", "official" or "q".
    value: str
    label: str
    query: ExplorerQuery

    @property
    def spec(self):
        return f"{self.kind}:{self.value}"

    @property
    def explorer_url(self):
        """The explorer showing this column's statements: its own filter and the shared ones."""
        return f"{reverse('statement_list')}?{self.query.applied_query()}"

    @functools.cached_property
    def facets(self):
        return self.query.facets

    @property
    def topics(self):
        """Its top-level topics with the most statements."""
        counted = [choice for choice in self.facets.topics if choice.count]
        return sorted(counted, key=lambda choice: -choice.count)[:TOP]

    @functools.cached_property
    def mentioned(self):
        """(country name in the reader's language, code, count) of the countries its latest MENTIONS_READ statements
        mention most."""
        if not self.query.precount:
            return []
        # Kept by the counts when they read the matches (ExplorerQuery's keep): not read again.
        latest = self.query.ordered(0, MENTIONS_READ, counts=self.facets)
        if isinstance(latest, Found):
            ids_sql, ids_params = "SELECT unnest(%s::bigint[])", [list(latest)]
        else:
            ids_sql, ids_params = latest.values("pk").query.sql_with_params()
        with reading().cursor() as cursor:
            cursor.execute(
                f"""SELECT country.name, country.code, count(*) FROM statements_statement_mentioned_countries mention
                    JOIN statements_country country ON country.code = mention.country_id
                   WHERE mention.statement_id IN ({ids_sql})
                   GROUP BY country.code, country.name ORDER BY count(*) DESC, country.name LIMIT %s""",
                [*ids_params, TOP],
            )
            return [(local_country_name(code, name), code, count) for name, code, count in cursor.fetchall()]

    @property
    def mentions_sampled(self):
        """Whether the mentions are counted in only the latest MENTIONS_READ of its statements."""
        return self.facets.total > MENTIONS_READ or not self.facets.exact

    @functools.cached_property
    def latest(self):
        if not self.query.precount:
            return []
        return cards(self.query.ordered(0, LATEST, counts=self.facets), words=self.query.words)


@dataclasses.dataclass
class Comparison:
    columns: list[Column]
    notes: list[Note]
    shared: str  # The shared filters, as applied, as a query string.
    interval: str = ""  # As asked for ("" for the one the spans give).

    @property
    def enough(self):
        return len(self.columns) >= 2

    @functools.cached_property
    def timeline(self):
        return together(self.columns, self.interval)

    @property
    def specs(self):
        """The four columns' inputs for the form: (key, kind, value), empty ones included."""
        given = {column.key: column for column in self.columns}
        return [
            (key, given[key].kind if key in given else "", given[key].value if key in given else "") for key in COLUMNS
        ]


def compare(params, *, user=None):
    """The columns a request names (see the module's docstring), with notes on the ones that cannot be used."""
    shared = params.copy()
    for key in COLUMNS:
        shared.pop(key, None)
    interval, notes = timeline.interval_asked(params)
    names = reference().country_names  # Read once a data version, as the columns' filters read them.
    columns = []
    for key in COLUMNS:
        given = params.get(key, "").strip()
        if not given:
            continue
        kind, _, value = given.partition(":")
        kind, value = kind.strip().lower(), value.strip()
        if kind not in KINDS or not value:
            notes.append(Note.because("not_a_column", key, given))
            continue
        param = KINDS[kind]
        if param == "country":  # A name as well as a code: "country:China", "country:중국" on a Korean page.
            value = country_code_named(value, names) or value
        # The counts keep its latest statements (or those that rank first): those it shows, and those its mentions
        # are counted in.
        keep, fixed = max(LATEST, MENTIONS_READ), {param: value}
        query = ExplorerQuery(
            shared, fixed=fixed, user=user, where="column", also=["interval"], timeline=True, keep=keep
        )
        own = [note for note in query.notes if note.param == param and note.ignored]
        if param not in query.values or own:  # No such country or official: the column would be everything.
            notes.extend(own or [Note.because("not_a_column", key, given)])
            continue
        columns.append(Column(key, kind, value, label(param, query.values[param], names), query))
    # The shared filters' notes, said once however many columns share them.
    notes.extend(
        note
        for column in columns
        for note in column.query.notes
        if note.param != KINDS[column.kind] or note.code == "column_keeps_its_own"
    )
    shared = columns[0].query.applied_query(exclude=[KINDS[columns[0].kind]]) if columns else ""
    return Comparison(columns, dedupe(notes), shared, interval)


def country_columns(codes):
    """These countries as the page's columns, as its query names them: {"a": "country:CN", "b": "country:US"}."""
    return {key: f"country:{code}" for key, code in zip(COLUMNS, codes, strict=False)}


def as_columns(params):
    """The query of the same page with the explorer's countries (`?country=CN&country=US`, as a hand-written or
    shortened link gives them) as its columns, when no column is given and two to four countries are; else None."""
    codes = [code.strip() for code in params.getlist("country") if code.strip()]
    if any(params.get(key, "").strip() for key in COLUMNS) or not 2 <= len(codes) <= len(COLUMNS):
        return None
    moved = params.copy()
    del moved["country"]
    for key, column in country_columns(codes).items():
        moved[key] = column  # In place of an empty one ("a=").
    return moved.urlencode(safe=":")


def label(param, value, names):
    if param == "country":  # A list, as the filter takes several; of known codes (the filter's check).
        return local_country_name(value[0], names[value[0]])
    if param == "official":
        return value.name
    return f"“{value}”"


def dedupe(notes):
    seen, kept = set(), []
    for note in notes:
        if str(note) not in seen:
            seen.add(str(note))
            kept.append(note)
    return kept


def together(columns, interval=""):
    """The columns' timelines on the same periods: in the interval asked for, else the coarsest any of them would
    be drawn in."""
    for column in columns:  # Counted first: when they read the statements, they count them by month too.
        column.facets  # noqa: B018
    read = {column.key: timeline.read(column.query, interval=interval, apart=False) for column in columns}
    if not all(counted.in_time for counted in read.values()):
        return timeline.Timeline(None, [], [], [], in_time=False)
    intervals = [counted.interval for counted in read.values() if counted.interval]
    if not intervals:
        return timeline.Timeline(None, [], [], [])
    interval = max(intervals, key=timeline.INTERVALS.index)
    for column in columns:
        if read[column.key].interval not in (None, interval):
            read[column.key] = timeline.read(column.query, interval=interval, apart=False)
            if not read[column.key].in_time:
                return timeline.Timeline(None, [], [], [], in_time=False)
    starts = [period.start for counted in read.values() for period in counted.periods]
    periods = list(timeline.periods_between(min(starts), max(starts), interval))
    series = []
    for column in columns:
        counted = read[column.key]
        # A column with no statements has no series (and no periods): zeros.
        found = {period.start: numbers[0] for period, numbers in counted.rows} if counted.series else {}
        counts = [found.get(period.start, 0) for period in periods]
        series.append(timeline.Series(KINDS[column.kind], column.spec, column.label, counts))
    return timeline.Timeline(interval, periods, series, [])
