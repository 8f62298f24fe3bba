"""Statements over time: how many published statements an explorer view matches in each week, month or year.

    timeline = read(ExplorerQuery(params), interval=None)
    timeline.interval, timeline.periods, timeline.series   # one count per period in each series

The statements are the query's own (ExplorerQuery.filtered: the same filters as the page, the API, the feeds
and the CSV). The period is chosen from the span of the months matched, in the same query that counts them:
per year over SPAN_FOR_YEARS, per week under SPAN_FOR_WEEKS, else per month; `interval` chooses it instead.
Periods between the first and the last with statements are there with their zeros. With several countries
chosen (else several topics), each of the first MAX_SERIES is a series; a statement on two chosen topics
counts in both.

One query: of the trigger-kept counts by month (PublishedMonth) when the filters are those it counts (countries,
a topic, whole months), else of the statements within a time budget (settings.TIMELINE_BUDGET_MS): counting a
common word's matches over every year can read much of the table, and a timeline out of time says so rather than
keep the worker.
"""

import dataclasses
import datetime
import functools

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from diplotrack.replicas import reading
from statements.facets import MONTHS_SPANNED, SPAN_FOR_WEEKS, rows_within
from statements.filters import Note
from statements.models import Country, local_date
from statements.query import ExplorerQuery, Refused

# Marked for translation: the timeline's page names the interval in the reader's language.
INTERVALS = (gettext_noop("week"), gettext_noop("month"), gettext_noop("year"))
MAX_SERIES = 5
SPAN_FOR_YEARS = datetime.timedelta(days=15 * 365)
ONE_DAY = datetime.timedelta(days=1)
# The interval asked for, else the one for the span from the first month with statements to the end of the last:
# in whole months, as _by_period measures it from counts by month, so that every way of counting chooses alike.
SPANNED = MONTHS_SPANNED.format(date="date")
SPAN = f"""
    SELECT coalesce(nullif(%s, ''), CASE WHEN {SPANNED} > %s THEN 'year' WHEN {SPANNED} < %s THEN 'week'
                                         ELSE 'month' END)
"""


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # Its last day.
    interval: str

    @functools.cached_property
    def label(self):
        """The period as a page names it, in the reader's language: 2024, Nov 2024, week of 4 Nov 2024."""
        if self.interval == "week":
            return gettext("week of %(day)s") % {"day": self.first_day}
        return local_date(self.start, "year" if self.interval == "year" else "short month")

    @functools.cached_property
    def short_label(self):
        """The label under its bar: a week's first day alone."""
        return self.first_day if self.interval == "week" else self.label

    @property
    def first_day(self):
        return local_date(self.start, "short")


@dataclasses.dataclass
class Series:
    param: str | None  # The filter whose value this series is ("country" or "topic"); None: every match.
    value: str
    label: str
    counts: list[int]


@dataclasses.dataclass
class Timeline:
    interval: str | None  # None when nothing matches, or when out of time.
    periods: list[Period]
    series: list[Series]
    left_out: list[str]  # The labels of the chosen countries or topics past MAX_SERIES, not drawn apart.
    in_time: bool = True

    @property
    def largest(self):
        return max((count for series in self.series for count in series.counts), default=0)

    def data(self):
        """As the API, timeline.json and timeline.csv give it (statements.opendata.serializers.TimelineSerializer)."""
        return {
            "interval": self.interval,
            "counted": self.in_time,
            "periods": [{"start": period.start, "end": period.end} for period in self.periods],
            "series": [
                {"filter": series.param, "value": series.value, "label": series.label, "counts": series.counts}
                for series in self.series
            ],
            "not_split": self.left_out,
        }

    @property
    def rows(self):
        """Each period with its counts, one per series."""
        counts = zip(*(series.counts for series in self.series), strict=True)
        return [(period, list(numbers)) for period, numbers in zip(self.periods, counts, strict=True)]


def interval_asked(params):
    """The interval a request asks for ("" for the one the span gives), and a note when it is not one."""
    given = params.get("interval", "").strip().lower()
    if not given or given in INTERVALS:
        return given, []
    return "", [Note.because("choose_from", "interval", params.get("interval", ""), choices=", ".join(INTERVALS))]


def read_strictly(params):
    """The timeline for the API and the downloads: Refused, naming each parameter, when one cannot be used."""
    interval, notes = interval_asked(params)
    query = ExplorerQuery(params, also=["interval"])
    if notes or query.problems:
        raise Refused([*notes, *query.problems])
    return read(query, interval=interval)


ALL = (None, "", "Statements", "true", None)  # The one series of every match.


def split(query):
    """The series: by the chosen countries when several, else by the chosen topics when several, else one; the
    first MAX_SERIES in the order given."""
    codes = query.values.get("country", [])
    if len(codes) > 1:
        names = dict(Country.objects.filter(code__in=codes).values_list("code", "name"))
        chosen = [("country", code, names.get(code, code), "m.country_id = %s", code) for code in codes]
    elif len(query.selected_topics) > 1:
        overlap = "m.topic_ids && %s::integer[]"  # Subtopics included: topic_ids holds each topic's parents.
        topics = {topic.slug: topic for topic in query.selected_topics}
        chosen = [("topic", slug, topics[slug].name, overlap, [topics[slug].pk]) for slug in query.values["topic"]]
    else:
        return [ALL], []
    return chosen[:MAX_SERIES], [label for _, _, label, _, _ in chosen[MAX_SERIES:]]


def read(query, *, interval="", apart=True):
    """The timeline of an ExplorerQuery's statements (see the module's docstring); all in one series when not
    `apart`."""
    chosen, left_out = split(query) if apart else ([ALL], [])
    if not query.precount:  # Nothing can match: no statement need be read to know it.
        return Timeline(None, [], [], left_out)
    rows = _from_facets(query, chosen, interval)
    if rows is None:
        rows = _precounted(query, chosen, interval)
    if rows is None:
        rows = _counted(query, chosen, interval)
    if rows is None:
        return Timeline(None, [], [], left_out, in_time=False)
    if not rows:
        return Timeline(None, [], [], left_out)
    interval = rows[0][0]
    found = {start: counts for _, start, *counts in rows}
    periods = list(periods_between(rows[0][1], rows[-1][1], interval))
    series = [
        Series(param, value, label, [found.get(period.start, [0] * len(chosen))[index] for period in periods])
        for index, (param, value, label, _, _) in enumerate(chosen)
    ]
    return Timeline(interval, periods, series, left_out)


def read_with_counts(query):
    """The timeline that the query's facets have already counted (ExplorerQuery(timeline=True), counted one by one):
    none to read. Else None."""
    if not query.timeline or split(query)[0] != [ALL]:
        return None
    return read(query) if query.facets.periods else None


def _from_facets(query, chosen, interval):
    """The rows of _counted from the facets' counts by month and week, when the facets counted the statements one
    by one, for one series. Else None."""
    if chosen != [ALL] or "facets" not in query.__dict__ or not query.facets.periods:
        return None
    periods = query.facets.periods
    months = {month: [count] for month, count in periods["month"].items()}
    # The weeks are counted only when a span so short that they are drawn (facets.SPAN_FOR_WEEKS).
    weeks = {week: [count] for week, count in periods["week"].items()} if "week" in periods else None
    return _by_period(months, interval, weeks=weeks)


def _by_period(months, interval, *, weeks=None):
    """Rows of _counted from counts by month ({first day: [count of each series]}): in the interval asked for, else
    the one for their span, in whole months as SPAN measures the days. None when that is weeks and none are given."""
    if not months:
        return []
    span = (_next(max(months), "month") - min(months)).days
    if not interval:
        interval = "year" if span > SPAN_FOR_YEARS.days else "week" if span < SPAN_FOR_WEEKS.days else "month"
    if interval == "week":
        return None if weeks is None else [("week", week, *counts) for week, counts in sorted(weeks.items())]
    if interval == "month":
        return [("month", month, *counts) for month, counts in sorted(months.items())]
    # Each year's months gathered, then summed series by series: 0.06 ms for 26 years of months, where adding each
    # month's counts to its year's as they came took 0.26 ms (a relevance search's page draws them).
    years = {}
    for month, counts in months.items():
        years.setdefault(month.year, []).append(counts)
    return [
        ("year", datetime.date(year, 1, 1), *map(sum, zip(*counted, strict=True)))
        for year, counted in sorted(years.items())
    ]


def _precounted(query, chosen, interval):
    """The rows of _counted from the trigger-kept counts by month (PublishedMonth), when they hold them: for views
    filtered by nothing but countries, topics (one series' worth each) and dates on whole months, over at least
    SPAN_FOR_WEEKS (weeks need the days). Else None."""
    values = query.values
    codes, topics = values.get("country", []), [topic.pk for topic in query.selected_topics]
    date_from, date_to = values.get("date_from"), values.get("date_to")
    whole_months = (not date_from or date_from.day == 1) and (not date_to or (date_to + ONE_DAY).day == 1)
    if query.applied - {"country", "topic", "date_from", "date_to"} or not whole_months or interval == "week":
        return None
    # Statements on any of several topics (in a country, or in all): not a sum of rows.
    if len(topics) > 1 and (len(codes) > 1 or chosen[0][0] != "topic"):
        return None
    # Each series' rows: its countries ("*" for all) and its topic (0 for all).
    topic, split_by = (topics[0] if topics else 0), chosen[0][0]
    if split_by == "country":
        keys = [([code], topic) for _, code, *_ in chosen]
    elif split_by == "topic":
        keys = [(codes or ["*"], topic_ids[0]) for *_, topic_ids in chosen]
    else:
        keys = [(codes or ["*"], topic)]
    series = " UNION ALL ".join(
        f"SELECT {index}, month, statements FROM statements_publishedmonth "
        "WHERE country_code = ANY(%s) AND topic_id = %s AND statements > 0 AND month BETWEEN %s AND %s"
        for index in range(len(keys))
    )
    first, last = date_from or datetime.date.min, date_to or datetime.date.max
    params = [value for codes, topic in keys for value in (codes, topic, first, last)]
    with reading().cursor() as cursor:
        cursor.execute(series, params)
        months = {}
        for index, month, statements in cursor.fetchall():
            months.setdefault(month, [0] * len(keys))[index] = statements
    # A span of months too short for them is counted in weeks: from the days, by _counted (None here).
    return _by_period(months, interval)


def _counted(query, chosen, interval):
    """Rows of (interval, period start, count of each series), by period; None when out of time."""
    # Only the columns a series reads: with one series, the dates alone (an index may hold them).
    columns = ["date", *{"country": ["country_id"], "topic": ["topic_ids"]}.get(chosen[0][0], [])]
    base_sql, base_params = query.filtered().values_list(*columns).query.sql_with_params()
    counts = ", ".join(f"count(*) FILTER (WHERE {condition})::int" for _, _, _, condition, _ in chosen)
    conditions = [parameter for _, _, _, _, parameter in chosen if parameter is not None]
    sql = f"""
        WITH m ({", ".join(columns)}) AS MATERIALIZED ({base_sql}),
             span (interval) AS ({SPAN} FROM m)
        SELECT span.interval, date_trunc(span.interval, m.date::timestamp)::date AS period, {counts}
          FROM m, span GROUP BY span.interval, period ORDER BY period
    """
    params = [*base_params, interval, SPAN_FOR_YEARS.days, SPAN_FOR_WEEKS.days, *conditions]
    return rows_within(settings.TIMELINE_BUDGET_MS, sql, params)


def periods_between(first, last, interval):
    """Every period from the one starting on `first` to the one starting on `last`."""
    start = first
    while start <= last:
        following = _next(start, interval)
        yield Period(start, following - datetime.timedelta(days=1), interval)
        start = following


def _next(start, interval):
    if interval == "week":
        return start + datetime.timedelta(weeks=1)
    if interval == "month":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)
