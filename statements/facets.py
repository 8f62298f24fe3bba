"""The explorer's counts: matching statements, and how many each country and topic choice would give.

Each facet follows the other filters: the country counts apply every filter but the country one, so
that choosing a second country shows how many it adds, and likewise for topics. Once there are
search words, the counts are those of the matching statements themselves: counting a common word's
matches in every country would mean reading much of the table. Counts come from one query: from the
trigger-kept PublishedCount table when the view filters nothing but countries and at most one topic,
else from the matching statements, filtered once, within a time budget.

When the budget runs out (a cold cache, a busy server), the same query runs once more, within the same
budget, over at most COUNT_BOUND + 1 statements: a few hundred matches are still counted exactly, and
the retry finds the cache warmer. When the planner expects more rows than can be counted in time,
neither runs. Past the bound the total is the planner's estimate, or "at least" COUNT_BOUND + 1 when
the estimate is lower; the choices are offered without counts, and the page that is read corrects
the total (Facets.seen): more rows than the estimate make it "at least", a last page makes it exact.

The matches are read once for the counts and the first pages: the read that counts them keeps the first RANKED in
the order asked for (Facets.first), the first pages of the explorer and the API, so that finding a page is not a
second read of the matches (or as many as a caller asks for: a comparison's column counts the countries its latest
thousand mention). Sorted by relevance it ranks each match: the same rank as ordering by it in SQL
(statements.search.rank), and the same order; by date, the same order as the date indexes give.
"""

import dataclasses
import datetime
import json

import psycopg
from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import QuerySet

from diplotrack.replicas import reading, reads_alias
from statements.models import local_country_name, per_data_version

# How many matches are still counted, with their facets, when counting them all took too long: the
# explorer's first 40 pages.
COUNT_BOUND = 1000
# How many matches the counts keep in the page's order (Facets.first), unless a caller asks for more
# (Selection.keep): the API's largest page and the row that tells whether more follow; the explorer's first four
# pages.
RANKED = 101
# A timeline is drawn by week when its matches span less than this, from the first day of the first month to the
# end of the last (statements.timeline): only then are the counts by week of any use.
SPAN_FOR_WEEKS = datetime.timedelta(days=183)
# The days from the first of the first month with matches to the end of the last: the span, in whole months, by which
# a timeline chooses its interval, written once for every way of counting (statements.timeline.SPAN, and here).
MONTHS_SPANNED = (
    "(date_trunc('month', max({date})::timestamp) + interval '1 month')::date"
    " - date_trunc('month', min({date})::timestamp)::date"
)
# The first matches' order, as StatementFilter.filter_sort sorts: by date, then id; by rank, ties by date, then id.
DATE_ORDERS = {"-date": "date DESC, id DESC", "date": "date, id"}
RANK_ORDER = "rank DESC, date DESC, id DESC"


@dataclasses.dataclass
class Choice:
    value: str
    label: str
    count: int | None  # None: not counted.
    selected: bool
    children: list["Choice"] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Facets:
    total: int
    countries: list[Choice]
    topics: list[Choice]
    exact: bool = True  # False: the total is the planner's estimate, or the least there are when `at_least`.
    at_least: bool = False
    counted: bool = True  # False: the choices are offered without their counts.
    # Counted from the statements themselves, for a timeline (Selection.by_period): {"month": {first day: count},
    # "week": {Monday: count}}, the weeks only when they are drawn (SPAN_FOR_WEEKS); None otherwise.
    periods: dict | None = None
    # The ids of the first matches in the order asked for (at most Selection.keep of them), read with the counts
    # (Selection.order); None when not.
    first: list[int] | None = None

    def seen(self, start, found, size):
        """Correct an uncounted total by a page read from `start`, asked for one row more than its `size`."""
        if self.exact:
            return
        if found > size:  # More follow: at least this many, whatever the estimate says.
            if self.total < start + found:
                self.total, self.at_least = start + found, True
        elif found or not start:  # The last page: the total is known.
            self.total, self.exact, self.at_least = start + found, True, False
        else:  # Past the last page: fewer than the estimate.
            self.total, self.at_least = min(self.total, start), False


@dataclasses.dataclass(frozen=True)
class Selection:
    """What the counts are of: built by statements.query.ExplorerQuery from its clean filters."""

    matching: QuerySet  # The statements every filter selects, unordered.
    # Those that every filter but the country and topic ones selects; None when searched or precountable (not read).
    others: QuerySet | None
    codes: list[str]  # The countries chosen.
    country_names: dict  # Every country's name by its code (read once a request, by the filters).
    topics: list  # Every topic (TopicChoice), by name: the choices offered.
    chosen_topics: list  # The topics chosen.
    searched: bool  # Whether there are search words: then the counts are of the matches themselves.
    precountable: bool  # Nothing filtered but countries and at most one topic: PublishedCount has the counts.
    # Whether to count the matches by month and week too, when they are counted one by one (for a timeline: the
    # same read, a few more rows).
    by_period: bool = False
    # The order of the first `keep` matches kept while counting them (Facets.first): "-date" or "date"; or, sorted by
    # relevance, the rank of each match (an expression of statements.search.rank). None: none kept.
    order: object = None
    keep: int | None = None  # None: RANKED.
    # With search words: the matching statements as querysets that select apart (statements.search.matching_parts),
    # read one after the other (UNION ALL) by the counts, so that each match's words are checked once.
    parts: tuple = ()
    official: int | None = None  # The id of the official chosen, if one is: whose statements OfficialCount counts.


def count(selection):
    """The total, and the counts of the country and topic choices, of published statements."""
    codes = selection.codes
    topic_ids = [topic.pk for topic in selection.chosen_topics]
    matching = selection.matching
    if selection.precountable:
        return _facets(selection, _precounted(codes, topic_ids[0] if topic_ids else 0))
    base = matching if selection.searched else selection.others
    among = ([], []) if base is matching else (codes, topic_ids)
    limit = settings.EXPLORER_EXACT_COUNT_LIMIT
    # No more than PublishedCount holds for the countries and topics chosen (all, when the others are counted): when
    # that is within the limit, the planner need not be asked (its EXPLAIN, a round trip and the ORM's writing of it).
    most = published_total(codes, topic_ids) if base is matching else published_total([], [])
    if selection.official is not None:  # No more than the official chosen has (on their page, say).
        most = min(most, official_total(selection.official))
    estimated = most > limit  # Whether `expected` is the planner's estimate, rather than that bound.
    expected = estimate(base) if estimated else most
    # Far more than the limit: do not spend the budget finding out how many (the planner is close for common words).
    by_period, order, keep = selection.by_period, selection.order, selection.keep
    parts = selection.parts if base is matching else ()
    counting = expected <= limit
    rows = _counted(base, *among, by_period=by_period, order=order, keep=keep, parts=parts) if counting else None
    first = rows is not None and order is not None  # Not by the bounded count below: it reads only some matches.
    # Out of time (a cold cache, a busy server), or few expected: count again, up to the bound. Not when many are
    # expected: reading a common word's whole posting list is what takes the time, bound or not.
    if rows is None and expected <= max(limit, COUNT_BOUND):
        rows = _counted(base, *among, matching=matching, bound=COUNT_BOUND, by_period=by_period, parts=parts)
    sizes = {facet: number for facet, _, number in rows or [] if facet in ("base", "matching")}
    if rows is not None and sizes.get("base", 0) <= COUNT_BOUND:
        return _facets(selection, rows, first=first)

    # The choices PublishedCount knows for the countries and the topic chosen: offered, not counted.
    facets = _facets(selection, _precounted(codes, topic_ids[0] if len(topic_ids) == 1 else 0), counted=False)
    found = sizes.get("matching")
    if found is not None and found <= COUNT_BOUND:
        facets.total = found
    else:
        expected = expected if base is matching and estimated else estimate(matching)
        facets.exact = False
        facets.at_least = found is not None and expected < found
        facets.total = found if facets.at_least else expected
    return facets


def _facets(selection, rows, *, counted=True, first=False):
    """Facets from counting rows: ("total", None, n), ("country", code, n), ("topic", id, n); and, `first`, the
    first matches in the order asked for: ("first", id, position)."""
    total, by_country, by_topic, periods, positions = 0, {}, {}, {}, {}
    for facet, key, number in rows:
        if facet == "total":
            total = number
        elif facet == "country":
            by_country[key] = number
        elif facet == "topic":
            by_topic[int(key)] = number
        elif facet in ("month", "week"):
            periods.setdefault(facet, {})[datetime.date.fromisoformat(key)] = number
        elif facet == "first":
            positions[number] = int(key)
    countries = _country_choices(by_country, selection.codes, selection.country_names)
    topics = _topic_choices(selection.topics, selection.chosen_topics, by_topic)
    if not counted:  # Chosen and ordered by the counts given, which are not those of this view.
        for choice in [*countries, *topics, *(child for topic in topics for child in topic.children)]:
            choice.count = None
    first = [positions[position] for position in sorted(positions)] if first else None
    return Facets(total, countries, topics, counted=counted, periods=periods or None, first=first)


def _precounted(codes, topic_id):
    """Counts from PublishedCount, whose country "*" holds the totals of all countries: read once a data version."""
    return _published_counts(tuple(codes), topic_id)


@per_data_version
def _published_counts(codes, topic_id):
    # Totals and topic counts of the chosen countries are sums; of all countries, the "*" rows.
    countries = "country_code = ANY(%(codes)s)" if codes else "country_code = '*'"
    sql = f"""
        SELECT 'total', NULL, coalesce(sum(statements), 0)::int FROM statements_publishedcount
         WHERE topic_id = %(topic)s AND {countries}
        UNION ALL
        SELECT 'country', country_code, statements FROM statements_publishedcount
         WHERE topic_id = %(topic)s AND country_code <> '*' AND statements > 0
        UNION ALL
        SELECT 'topic', topic_id::text, sum(statements)::int FROM statements_publishedcount
         WHERE topic_id <> 0 AND {countries} GROUP BY topic_id HAVING sum(statements) > 0
    """
    with reading().cursor() as cursor:
        cursor.execute(sql, {"codes": list(codes), "topic": topic_id})
        return cursor.fetchall()


def published_total(codes, topic_ids):
    """At least as many statements as match these countries (all when none) and topics (any when none), whatever
    else is filtered: PublishedCount's totals, summed over the topics (a statement on two counted twice). The counts
    a page of these countries and topic reads; of several topics, the countries' counts of every topic: one read."""
    if len(topic_ids) <= 1:
        rows = _precounted(codes, topic_ids[0] if topic_ids else 0)
        return next(number for facet, _, number in rows if facet == "total")
    by_topic = {key: number for facet, key, number in _precounted(codes, 0) if facet == "topic"}
    return sum(by_topic.get(str(topic), 0) for topic in topic_ids)


@per_data_version
def official_total(official_id):
    """How many published statements an official has (OfficialCount, kept by triggers): read once a data version."""
    with reading().cursor() as cursor:
        cursor.execute("SELECT statements FROM statements_officialcount WHERE official_id = %s", [official_id])
        row = cursor.fetchone()
    return row[0] if row else 0


def _counted(
    queryset, codes, topic_ids, *, matching=None, bound=None, by_period=False, order=None, keep=None, parts=()
):
    """Counts within the time budget, else None. With a bound, of at most bound + 1 statements, with the
    number read ("base"), and how many of `matching` there are up to bound + 1 ("matching"). By period: the
    matches' counts by month and by week too. With an order (Selection.order; and no bound): the ids of the first
    `keep` matches in it (RANKED when None), as ("first", id, position). With parts (querysets whose rows together
    are the queryset's, none twice): those read one after the other (UNION ALL) rather than the queryset."""
    rank = None if order is None or isinstance(order, str) else order  # Sorted by relevance: each match's rank.
    # Each match's columns: those counted, and those that order the first ones.
    kept = [] if order is None else ["id"] if rank is None else ["id", "rank"]

    def columns(statements):
        statements = statements if rank is None else statements.annotate(rank=rank)
        return statements.values_list("country_id", "topic_ids", "date", *kept)

    first, *others = [columns(part) for part in parts or [queryset]]
    base = first.union(*others, all=True) if others else first
    base_sql, base_params = (base[: bound + 1] if bound else base).query.sql_with_params()
    columns = ", ".join(["country_id", "topic_ids", "date", *kept])
    # The choices, as one row the conditions name. An empty list chooses all: its condition is left out, and the
    # row too when both are empty (a search's counts), rather than joined and tested for every match (a sixth of
    # the relevance search's counting query, 95 → 79 ms at a load average of 3).
    in_countries = "base.country_id = ANY(chosen.codes)" if codes else "TRUE"
    on_topics = "base.topic_ids && chosen.topics" if topic_ids else "TRUE"
    base_chosen = "base, chosen" if codes or topic_ids else "base"
    # By period, the matches' months first: their span, as statements.timeline measures it, tells whether their weeks
    # are drawn.
    months = (
        f""",
             months (month, n) AS MATERIALIZED (
                 SELECT date_trunc('month', base.date::timestamp)::date, count(*)::int
                   FROM {base_chosen} WHERE {in_countries} AND {on_topics} GROUP BY 1)"""
        if by_period
        else ""
    )
    sql = f"""
        WITH base ({columns}) AS MATERIALIZED ({base_sql}),
             chosen (codes, topics) AS (SELECT %s::varchar[], %s::integer[]){months}
        SELECT 'total', NULL, count(*)::int FROM {base_chosen} WHERE {in_countries} AND {on_topics}
        UNION ALL
        SELECT 'country', coalesce(base.country_id, ''), count(*)::int FROM {base_chosen} WHERE {on_topics}
         GROUP BY base.country_id
        UNION ALL
        SELECT 'topic', topic_id::text, count(*)::int
          FROM (SELECT unnest(base.topic_ids) AS topic_id FROM {base_chosen} WHERE {in_countries}) AS topics
         GROUP BY topic_id
    """
    if by_period:
        # The weeks only when they are drawn: else the 1,242 weeks of (b)'s 26 years were counted, sent and read for
        # nothing. Their condition reads the months alone, so PostgreSQL tests it once, before reading any match
        # (a one-time filter): the matches are not read again for weeks not drawn, where testing each one's months'
        # span took as long as counting its month (9,494 matches: 2.6 ms for both, 1.8 ms for the months alone). A
        # week's first day by date arithmetic (2000-01-03 was a Monday), and the month as a timestamp without time
        # zone: date_trunc() takes a date as one with a time zone, whose rules are slow.
        spanned = MONTHS_SPANNED.format(date="months.month")
        sql += f"""UNION ALL
            SELECT 'month', month::text, n FROM months
            UNION ALL
            SELECT 'week', week::text, count(*)::int
              FROM (SELECT base.date - ((base.date - DATE '2000-01-03') %% 7 + 7) %% 7 AS week
                      FROM {base_chosen} WHERE {in_countries} AND {on_topics}
                       AND (SELECT {spanned} < %s FROM months)) AS days
             GROUP BY week
            """
    params = [*base_params, codes, topic_ids, *([SPAN_FOR_WEEKS.days] if by_period else [])]
    if order is not None:
        by = RANK_ORDER if rank is not None else DATE_ORDERS[order]
        sql += f"""UNION ALL
            SELECT 'first', id::text, (row_number() OVER (ORDER BY {by}))::int
              FROM (SELECT base.* FROM {base_chosen} WHERE {in_countries} AND {on_topics}
                     ORDER BY {by} LIMIT {int(keep or RANKED)}) AS base
            """
    if bound:
        sql += "UNION ALL SELECT 'base', NULL, count(*)::int FROM base"
        if matching is None or matching is queryset:
            sql += " UNION ALL SELECT 'matching', NULL, count(*)::int FROM base"
        else:
            matching_sql, matching_params = matching.values("pk")[: bound + 1].query.sql_with_params()
            sql += f" UNION ALL SELECT 'matching', NULL, count(*)::int FROM ({matching_sql}) AS matching"
            params += matching_params
    return rows_within(settings.EXPLORER_COUNT_BUDGET_MS, sql, params)


def rows_within(budget_ms, sql, params, *, walk=False):
    """The rows of a query if the database answers it within the budget, else None (the counts' and the
    timeline's way of giving up on a cold cache or a busy server rather than keep a worker). No budget: the
    site's statement timeout. `walk`: an ordered index walked to the query's LIMIT, never a bitmap of every row
    found, whatever the planner expects."""
    settings_sql = []
    if budget_ms is not None:  # At least 1 ms: to PostgreSQL, 0 is no limit at all.
        settings_sql.append(f"SET LOCAL statement_timeout = {max(int(budget_ms), 1)}")
    if walk:
        settings_sql.append("SET LOCAL enable_bitmapscan = off")
    connection, alias = reading(), reads_alias()
    # One message, one round trip (Django's client-side binding sends it whole). Outside a transaction PostgreSQL
    # runs its statements as one, and the settings end with it, whether the query is answered or cancelled; inside
    # one (a test's, a worker's) they would last until it ends, so a savepoint rolled back after the query ends them.
    savepoint = transaction.savepoint(using=alias) if connection.in_atomic_block else None
    try:
        with connection.cursor() as cursor:
            cursor.execute("; ".join([*settings_sql, sql]), params)
            for _ in settings_sql:
                cursor.nextset()
            return cursor.fetchall()
    except OperationalError as error:
        if isinstance(error.__cause__, psycopg.errors.QueryCanceled):
            return None
        raise
    finally:
        if savepoint is not None:
            transaction.savepoint_rollback(savepoint, using=alias)


def estimate(queryset):
    """The planner's estimate of how many rows a queryset gives: close for common words, and instant."""
    # Its ids alone, unordered: the same rows, and the ORM writes one column where it wrote the model's every field.
    sql, params = queryset.values("pk").order_by().query.sql_with_params()
    with reading().cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def _country_choices(by_country, selected, names, shown=10):
    """The selected countries, then those with the most statements, up to `shown` in all."""
    top = sorted(
        (code for code in by_country if code in names and code not in selected), key=lambda code: -by_country[code]
    )
    codes = [*selected, *top[: max(shown - len(selected), 0)]]
    return [
        Choice(code, local_country_name(code, names[code]), by_country.get(code, 0), code in selected)
        for code in codes
        if code in names
    ]


def _topic_choices(all_topics, chosen, by_topic):
    """Top-level topics with statements; the subtopics of a selected topic (or of a selected subtopic's parent)."""
    selected = {topic.slug for topic in chosen}
    opened = {topic.pk for topic in chosen} | {topic.parent_id for topic in chosen if topic.parent_id}
    choices = {
        topic.pk: Choice(topic.slug, topic.name, by_topic.get(topic.pk, 0), topic.slug in selected)
        for topic in all_topics
        if (by_topic.get(topic.pk) or topic.slug in selected)
        and (topic.parent_id is None or topic.parent_id in opened)
    }
    roots = []
    for topic in all_topics:
        if topic.pk in choices:
            parent = choices.get(topic.parent_id)
            (parent.children if parent else roots).append(choices[topic.pk])
    for root in roots:
        root.children.sort(key=lambda child: (-child.count, child.label))
    return sorted(roots, key=lambda choice: (not choice.selected, -choice.count, choice.label))
