"""The explorer's query object: cleaned before it reads, the page's own filters kept, no walk for nothing."""

import datetime
import json
import re
from urllib.parse import quote, urlencode

import feedparser
import pytest
from django.db import connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django_filters.utils import label_for_filter

from statements import facets, present, search, timeline
from statements import korean as korean_search
from statements.filters import StatementFilter
from statements.models import Country, Official, Statement
from statements.opendata.api import OfficialFilter, OrganizationFilter, SourceFilter, TopicFilter
from statements.query import ExplorerQuery, Refused, ids_of
from statements.site import views
from tests.factories import make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cho = make_official(name="Cho Tae-yul", country="KR")
    security = make_topic(name="Peninsula security")
    empty = make_topic(name="Nobody speaks of it")
    statements = [
        make_statement(
            text=f"The alliance will be strengthened ({n}).",
            official=cho,
            topics=[security],
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(3)
    ]
    return {"statements": statements, "security": security, "empty": empty}


def reads_statements(captured):
    """The queries that read statements themselves (not a name's lookup, which asks whether it has any); a page's
    rows and lists, prepared on the connection and executed by name (statements.present.Written), by their SQL."""
    sent = []
    for query in captured:
        if query["sql"].startswith(("PREPARE ", "EXECUTE ")):
            names = re.findall(r"EXECUTE (\w+)", query["sql"])
            sent += [prepared_sql(name) for name in names]
        else:
            sent.append(query["sql"].lstrip())
    return [sql for sql in sent if sql.startswith('SELECT "statements_statement"')]


def prepared_sql(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [name])
        return cursor.fetchone()[0].removeprefix(f"PREPARE {name} AS ")


def test_every_parameter_is_checked_before_any_statement_is_read(world):
    with CaptureQueriesContext(connection) as captured:
        query = ExplorerQuery(QueryDict("q=the+or&lang=english!&official=zzqqxx&country=XX&sort=relevance"))
    assert not reads_statements(captured)
    reasons = {note.param: note.reason for note in query.notes}
    assert reasons["q"] == "it holds no searchable words, only operators or very common words"
    assert reasons["lang"] == "use a language code such as en, ko or fr"
    assert reasons["official"] == "no official has a name like it"
    assert reasons["country"] == "there is no such country"
    assert query.values == {"sort": "relevance"} and query.applied == set()
    before = list(query.notes)
    assert len(query.page(read=list).object_list) == query.facets.total == 3  # None of the filters applies.
    assert query.notes == before  # Reading and counting add nothing: the notes were whole from the start.


def test_the_pages_own_filter_lives_in_the_query_and_another_value_is_noted_or_refused(world):
    security = world["security"]
    page = ExplorerQuery(QueryDict("topic=nobody-speaks-of-it"), fixed={"topic": security.slug})
    assert page.fixed == {"topic": security.slug} and page.values["topic"] == [security.slug]
    assert [str(note) for note in page.notes] == [
        "topic=nobody-speaks-of-it: this page keeps to its own topic: the statements page lets you choose"
    ]
    feed = ExplorerQuery(QueryDict("topic=nobody-speaks-of-it"), fixed={"topic": security.slug}, where="feed")
    with pytest.raises(Refused) as refused:
        feed.refuse_problems()
    assert "this feed keeps to its own topic" in refused.value.response().content.decode()


def test_a_topic_pages_htmx_fragment_leaves_out_its_topic_choices_after_a_filter_change(client, world):
    """The audit's case: choosing a country on a topic's page brought the topic choices back."""
    url = f"/topics/{world['security'].slug}/?country=KR"
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.context["query"].fixed == {"topic": world["security"].slug}
    content = fragment.content.decode()
    assert 'name="country"' in content and 'name="topic"' not in content


def test_a_pages_own_filter_has_no_choices_written(client, world, monkeypatch):
    """A topic's page shows no topic choices: their checkboxes are not written either."""
    written = []
    monkeypatch.setattr(views, "choices_html", lambda name, choices: written.append(name) or "")
    assert client.get(f"/topics/{world['security'].slug}/").status_code == 200
    assert client.get("/statements/").status_code == 200
    assert written == ["country", "country", "topic"]


@pytest.mark.parametrize(
    "url",
    [
        "/topics/nobody-speaks-of-it/feed/",
        "/feeds/statements/?q=alliance&topic=nobody-speaks-of-it",
        "/feeds/statements/?topic=nobody-speaks-of-it&country=KR&sort=date",
        "/statements/export.csv?topic=nobody-speaks-of-it",
    ],
)
def test_a_feed_or_export_of_an_empty_topic_reads_no_statement(client, world, url):
    """Reading the newest statements of a topic that has none would walk the whole date index (seconds, over a
    million rows): the trigger-kept counts say there are none first, as they do for its page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert not reads_statements(captured), reads_statements(captured)
    if ".csv" in url:
        assert len(body.decode("utf-8-sig").splitlines()) == 1  # The header alone.
    else:
        assert feedparser.parse(body).entries == []


def test_a_feed_reads_the_ids_of_its_entries_first_then_their_rows(client, world):
    with CaptureQueriesContext(connection) as captured:
        feed = feedparser.parse(client.get(f"/topics/{world['security'].slug}/feed/").content)
    newest_first = [f"http://testserver/statements/{statement.pk}/" for statement in reversed(world["statements"])]
    assert [entry.link for entry in feed.entries] == newest_first
    ids, rows = reads_statements(captured)
    assert ids.startswith('SELECT "statements_statement"."id" AS "pk" FROM "statements_statement" WHERE')
    assert ids.endswith("LIMIT 50") and "JOIN" not in ids  # Ordered by the date index alone, and stopped at 50.
    assert " IN (" in rows and "LIMIT" not in rows


def test_a_draft_only_topic_is_empty_to_the_feed(client, world):
    make_statement(text="A draft on nothing.", topics=[world["empty"]], status=Statement.Status.DRAFT)
    assert feedparser.parse(client.get("/topics/nobody-speaks-of-it/feed/").content).entries == []


@pytest.mark.parametrize(
    "params",
    [
        "q=alliance",
        "q=alliance&sort=date",
        "q=alliance&topic=peninsula-security",
        "q=alliance&topic=peninsula-security&country=KR&sort=date",
    ],
)
def test_rare_matches_come_in_the_order_and_pages_of_the_index_walk(world, params):
    """Rare matches (see ExplorerQuery.ordered) are found first and sorted: the walk's statements, in its order."""
    security = world["security"]
    child = make_topic(name="Alliance drills", parent=security)
    for n in range(12):
        make_statement(
            text=f"The alliance {'and the climate ' * (n % 3)}holds ({n}).",
            topics=[child] if n % 2 else [],
            date=datetime.date(2023, 1, 1) + datetime.timedelta(days=n % 5),
        )
    query = ExplorerQuery(QueryDict(params))
    found_first = query.ordered(0, 5)
    assert not found_first.query.is_sliced and "WITH m" in str(found_first.query)  # Few matches among many.
    for start, stop in PAGES:
        walked = list(query.queryset[start:stop].values_list("pk", flat=True))
        assert list(query.ordered(start, stop).values_list("pk", flat=True)) == walked, (start, stop)
    assert query.queryset[0:3]
    by_relevance = ExplorerQuery(QueryDict(f"{params}&sort=relevance"))  # Without counts: every match ranked.
    assert list(by_relevance.ordered(0, 5).values_list("pk", flat=True)) == list(
        by_relevance.queryset[0:5].values_list("pk", flat=True)
    )


def test_the_search_index_holds_the_country_and_topics_beside_the_words(db):
    """Reading rare matches first reads only them: the words, the country and the topics meet inside the index (on a
    tiny table the planner reads it whole, so the plan cannot show it here; benchmarks/load.py measures it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'statement_search'")
        (definition,) = cursor.fetchone()
    assert definition.endswith("USING gin (search_vector, country_id, topic_ids)"), definition


PAGES = [(0, 3), (3, 7), (5, 30)]


PHRASE = '"nuclear weapons" -iran'


@pytest.fixture
def nuclear():
    """Statements on nuclear weapons in two countries and two languages, some ranked alike, and some that a phrase
    search must leave out."""
    kr, jp = make_official(name="Cho Tae-yul", country="KR"), make_official(name="Kamikawa Yoko", country="JP")
    arms = make_topic(name="Arms control")
    texts = [
        "Nuclear weapons.",
        "We oppose nuclear weapons and their testing.",
        "Nuclear weapons, nuclear weapons everywhere: a world without nuclear weapons is our goal.",
        "A long speech on many things, among which, in passing and near its end, nuclear weapons, and much else.",
        "Nuclear weapons.",  # Ranked as the first: ordered by date, then id.
    ]
    for n, text in enumerate(texts * 3):
        make_statement(
            text=text,
            official=kr if n % 2 else jp,
            topics=[arms] if n % 3 else [],
            date=datetime.date(2024, 1, 1) - datetime.timedelta(days=700 * (n % 4) + n % 2),
        )
    make_statement(text="Des armes nucléaires: nuclear weapons.", official=jp, language="fr")  # Simple parse.
    make_statement(text="Nuclear weapons in 1999.", official=kr, date=datetime.date(1999, 12, 26))  # A Sunday.
    make_statement(text="Nuclear weapons and Iran.", official=kr)  # Excluded by -iran.
    make_statement(text="Weapons, and nuclear power.", official=kr)  # Not the phrase.
    make_statement(text="Nuclear weapons, a draft.", official=kr, status=Statement.Status.DRAFT)


def matches_in_sql(words, order, **params):
    """The ids of every published match of the words, in this order (SQL, with these parameters), in plain SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT id FROM statements_statement
             WHERE status = 'published'
               AND CASE WHEN language = 'en' OR language LIKE 'en-%%'
                        THEN search_vector @@ websearch_to_tsquery('english', statements_unaccent(%(words)s))
                        ELSE search_vector @@ websearch_to_tsquery('simple', statements_unaccent(%(words)s)) END
             ORDER BY {order}
            """,
            {"words": words, **params},
        )
        return [pk for (pk,) in cursor.fetchall()]


def ranked_in_sql(words):
    """Every published match of the words, ranked in plain SQL: the explorer's order by relevance, written out."""
    return matches_in_sql(
        words,
        """ts_rank(search_vector, websearch_to_tsquery('english', statements_unaccent(%(words)s))
                   || websearch_to_tsquery('simple', statements_unaccent(%(words)s)), 1) DESC, date DESC, id DESC""",
    )


def pages(params, size, **kwargs):
    """The ids of every page of a query, each page read by a query object of its own (as each request is)."""
    found, number = [], 1
    while True:
        query = ExplorerQuery(QueryDict(params), **kwargs)
        page = query.page(str(number), read=ids_of, size=size)
        found += page.object_list
        if not page.more:
            return found, query
        number += 1


def ranking_reads(captured):
    return [query["sql"] for query in captured if "ts_rank(" in query["sql"]]


def test_a_page_by_relevance_is_ranked_with_the_counts_in_the_order_sql_ranks_every_match(nuclear):
    """The counts' one read of the matches ranks them too, and keeps the first (facets.RANKED): the same order, ties
    and all, as ranking every match in SQL; and the same counts as counting them."""
    in_sql = ranked_in_sql(PHRASE)
    assert len(in_sql) == 17
    with CaptureQueriesContext(connection) as captured:
        found, query = pages(f"q={PHRASE}&sort=relevance", size=5)
    assert found == in_sql
    assert len(ranking_reads(captured)) == 4  # One read a page: the counts'.
    assert query.facets.first == in_sql  # Fewer than RANKED: all of them.

    counts = query.facets
    with connection.cursor() as cursor:
        cursor.execute("SELECT country_id, count(*) FROM statements_statement WHERE id = ANY(%s) GROUP BY 1", [in_sql])
        by_country = dict(cursor.fetchall())
    assert counts.exact and counts.total == 17
    assert {choice.value: choice.count for choice in counts.countries} == by_country
    arms = Statement.objects.filter(pk__in=in_sql, topics__slug="arms-control").count()
    assert {choice.value: choice.count for choice in counts.topics} == {"arms-control": arms}


def test_pages_past_the_ranked_ones_are_ranked_by_sorting_in_the_same_order(nuclear, monkeypatch):
    monkeypatch.setattr(facets, "RANKED", 4)
    with CaptureQueriesContext(connection) as captured:
        found, query = pages(f"q={PHRASE}&sort=relevance", size=3)
    assert found == ranked_in_sql(PHRASE)
    assert len(query.facets.first) == 4
    # The counts' read for each of the 6 pages; the pages past the fourth statement sort the matches by their rank.
    assert len(ranking_reads(captured)) == 6 + 5


def by_date_in_sql(where, order):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM statements_statement WHERE status = 'published' AND {where} ORDER BY {order}")
        return [pk for (pk,) in cursor.fetchall()]


def search_reads(captured):
    """The queries that read the statements' words: the counts', and any other that finds the matches again (not the
    planner's estimates)."""
    return [query["sql"] for query in captured if "@@" in query["sql"] and not query["sql"].startswith("EXPLAIN")]


@pytest.mark.parametrize(
    ("sort", "order"), [("", "date DESC, id DESC"), ("&sort=-date", "date DESC, id DESC"), ("&sort=date", "date, id")]
)
@pytest.mark.parametrize("params", [f"q={PHRASE}", f"q={PHRASE}&country=KR", "date_from=1999-01-01&country=JP"])
def test_pages_by_date_come_with_the_counts_in_the_date_indexes_order(nuclear, monkeypatch, sort, order, params):
    """The counts' one read of the matches keeps the first ones by date too (ties by id), in each direction: the
    same pages as sorting them in SQL, without reading the matches again; past them, pages are found as before."""
    where = {
        f"q={PHRASE}": "id = ANY(%(phrase)s)",
        f"q={PHRASE}&country=KR": "id = ANY(%(phrase)s) AND country_id = 'KR'",
        "date_from=1999-01-01&country=JP": "date >= '1999-01-01' AND country_id = 'JP'",
    }[params]
    in_sql = by_date_in_sql(where.replace("%(phrase)s", "ARRAY" + str(ranked_in_sql(PHRASE))), order)
    assert len(in_sql) >= 6 and len({Statement.objects.get(pk=pk).date for pk in in_sql}) < len(in_sql)  # Ties.
    with CaptureQueriesContext(connection) as captured:
        found, query = pages(params + sort, size=2)
    assert found == in_sql and query.facets.first == in_sql  # Fewer than RANKED: all of them.
    if "q=" in params:
        assert len(search_reads(captured)) == -(-len(in_sql) // 2)  # The counts' read, once a page.
    monkeypatch.setattr(facets, "RANKED", 3)
    found, query = pages(params + sort, size=2)
    assert found == in_sql and query.facets.first == in_sql[:3]


def counting_plan(params):
    """The plan of the counts' query for these parameters (see plan_nodes)."""
    with CaptureQueriesContext(connection) as captured:
        assert ExplorerQuery(QueryDict(params)).facets.total  # Matches, counted one by one.
    (sql,) = [query["sql"] for query in captured if "WITH base" in query["sql"]]
    return plan_nodes(re.sub(r"^(SET LOCAL [^;]*;\s*)+", "", sql))  # Sent with its budget (facets.rows_within).


def plan_nodes(sql):
    """The plan of a query as the planner reads it with the search index (a tiny table is otherwise read whole): a
    list of its nodes."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        nodes.append(todo.pop())
        todo += nodes[-1].get("Plans", [])
    return nodes


def words_checked(node):
    """How many times a read statement's words are checked by this node of a plan (the index's recheck, and then
    its filter): its search vector's, not the pairs of words that statement_bigrams holds."""
    conditions = [node.get(condition, "") for condition in ("Recheck Cond", "Filter")]
    return sum(text.count("@@") - text.count("statements_bigrams(search_vector) @@") for text in conditions)


@pytest.mark.parametrize("sort", ["relevance", "-date"])
def test_the_counts_check_each_matchs_words_once(nuclear, sort):
    """A phrase's check against each statement's positions is most of a search's read: each statement the index
    finds is checked once, by the parse of its language, not by both parses, then by its own again; and its two
    words are found as a pair (statements_bigrams), not by their positions."""
    plan = counting_plan(f"q={PHRASE}&sort={sort}")
    reads = [node for node in plan if words_checked(node)]
    assert [node["Node Type"] for node in reads] == ["Bitmap Heap Scan"] * 2  # The English, and the others.
    assert [words_checked(node) for node in reads] == [1, 1]
    assert all("<->" not in node.get("Recheck Cond", "") + node.get("Filter", "") for node in reads)


def test_pages_past_the_ranked_ones_check_each_matchs_words_once(nuclear, monkeypatch):
    monkeypatch.setattr(facets, "RANKED", 4)
    query = ExplorerQuery(QueryDict(f"q={PHRASE}&sort=relevance"))
    with CaptureQueriesContext(connection) as captured:
        page = query.page("3", read=ids_of, size=3)
    assert page.object_list == ranked_in_sql(PHRASE)[6:9]
    (sql,) = [query["sql"] for query in captured if "ts_rank(" in query["sql"] and "WITH base" not in query["sql"]]
    reads = [node for node in plan_nodes(sql) if words_checked(node)]
    assert [(node["Node Type"], words_checked(node)) for node in reads] == [("Bitmap Heap Scan", 1)] * 2


@pytest.fixture
def climate(nuclear):
    """24 statements on the climate over 12 days, some short (ranked first) and some long, alike ranks and dates
    among them; besides the nuclear ones."""
    cho = make_official(name="Park Jin", country="KR")
    for n in range(24):
        padding = " and other words" * ((n * 7) % 5)
        make_statement(
            text=f"Climate{padding} ({n}).",
            official=cho,
            date=datetime.date(2024, 5, 1) + datetime.timedelta(days=n // 2),
        )
    make_statement(text="Climate, a draft.", official=cho, status=Statement.Status.DRAFT)


def newest_in_sql(words, count):
    """The newest published matches of the words, by date then id, in plain SQL."""
    return matches_in_sql(words, "date DESC, id DESC LIMIT %(count)s", count=count)


def test_too_many_matches_to_count_are_ranked_among_the_newest(climate, settings, monkeypatch):
    """Not counted one by one (the planner's estimate), the matches by relevance are the newest
    EXPLORER_RELEVANCE_CANDIDATES of them, ranked among themselves as SQL ranks every match, page after page."""
    settings.EXPLORER_EXACT_COUNT_LIMIT = 0  # The counts are the planner's estimate.
    settings.EXPLORER_RELEVANCE_CANDIDATES = 10
    # More than the counts take on, even up to a bound (facets.COUNT_BOUND); walking to the newest 10 reads fewer.
    monkeypatch.setattr(facets, "estimate", lambda queryset: 5000)
    newest = set(newest_in_sql("climate", 10))
    expected = [pk for pk in ranked_in_sql("climate") if pk in newest]
    assert len(expected) == 10 and expected != ranked_in_sql("climate")[:10]  # Older ones rank higher.
    found, query = pages("q=climate&sort=relevance", size=3)
    assert found == expected
    assert query.ranked_among == 10 and (query.facets.total, query.facets.exact) == (5000, False)
    feed = ExplorerQuery(QueryDict("q=climate&sort=relevance"))  # No counts: more expected than are counted.
    assert [statement.pk for statement in feed.first(4, read=present.page)] == expected[:4]


def test_a_feed_by_relevance_asks_the_planner_once(climate, settings):
    """Without counts (a feed), whether the matches are too many to count and whether to walk to the newest both
    read the planner's one estimate of them."""
    settings.EXPLORER_EXACT_COUNT_LIMIT = 0
    feed = ExplorerQuery(QueryDict("q=climate&sort=relevance"))
    with CaptureQueriesContext(connection) as captured:
        first = [statement.pk for statement in feed.first(4, read=present.page)]
    assert first == ranked_in_sql("climate")[:4]
    assert sum(query["sql"].startswith("EXPLAIN") for query in captured) == 1


def test_past_the_newest_ranked_there_is_no_page(climate, settings, monkeypatch):
    settings.EXPLORER_EXACT_COUNT_LIMIT = 0
    settings.EXPLORER_RELEVANCE_CANDIDATES = 10
    monkeypatch.setattr(facets, "estimate", lambda queryset: 5000)
    query = ExplorerQuery(QueryDict("q=climate&sort=relevance"))
    page = query.page("5", read=ids_of, size=3)
    assert (page.number, page.paginator.num_pages, page.more, len(page.object_list)) == (4, 4, False, 1)
    assert [note.reason for note in page.notes] == ["there are 4 pages, so showing the last one"]
    with pytest.raises(Refused):
        ExplorerQuery(QueryDict("q=climate&sort=relevance")).page("5", read=ids_of, size=3, strict=True)


def test_too_many_to_count_but_fewer_than_the_newest_are_all_ranked(climate, settings, monkeypatch):
    """Fewer matches than EXPLORER_RELEVANCE_CANDIDATES: the newest are all of them, ranked as SQL ranks them, and the
    last page counts them."""
    settings.EXPLORER_EXACT_COUNT_LIMIT = 0
    settings.EXPLORER_RELEVANCE_CANDIDATES = 50
    monkeypatch.setattr(facets, "estimate", lambda queryset: 5000)
    found, query = pages("q=climate&sort=relevance", size=5)
    assert found == ranked_in_sql("climate")
    assert query.ranked_among is None and (query.facets.total, query.facets.exact) == (24, True)


def test_too_many_to_count_but_fewer_than_a_walk_reads_are_every_one_ranked(climate, settings, monkeypatch):
    """When finding every match reads fewer statements than walking to the newest (as the estimates go), every match
    is ranked: no less work, and no ranking lost."""
    settings.EXPLORER_EXACT_COUNT_LIMIT = 0
    settings.EXPLORER_RELEVANCE_CANDIDATES = 10
    monkeypatch.setattr(facets, "COUNT_BOUND", 1)  # Not counted up to a bound either.
    monkeypatch.setattr(facets, "estimate", lambda queryset: 3)  # 3 × 3 < 11 × the statements walked.
    assert not ExplorerQuery(QueryDict("q=climate&sort=relevance")).facets.exact  # Not counted.
    found, query = pages("q=climate&sort=relevance", size=5)
    assert found == ranked_in_sql("climate") and query.ranked_among is None


def slow_reads(monkeypatch):
    """Each query that reads the statements takes 0.1 s more (once a query): past a budget of 20 ms."""
    slow = RawSQL("(SELECT true FROM pg_sleep(0.1))", [], output_field=BooleanField())
    original = ExplorerQuery.filtered
    monkeypatch.setattr(ExplorerQuery, "filtered", lambda self, **kw: original(self, **kw).filter(slow))


def test_too_many_to_count_and_more_than_estimated_are_ranked_among_the_newest(climate, settings, monkeypatch):
    """The planner may expect far fewer matches than there are (words it takes to be independent): ranking every
    match is given the counts' time budget, and past it the newest are ranked after all."""
    settings.EXPLORER_EXACT_COUNT_LIMIT = 0
    settings.EXPLORER_RELEVANCE_CANDIDATES = 10
    settings.EXPLORER_COUNT_BUDGET_MS = 20
    monkeypatch.setattr(facets, "COUNT_BOUND", 1)
    monkeypatch.setattr(facets, "estimate", lambda queryset: 3)  # Fewer than a walk reads, as estimated.
    slow_reads(monkeypatch)
    newest = set(newest_in_sql("climate", 10))
    with CaptureQueriesContext(connection) as captured:
        found, query = pages("q=climate&sort=relevance", size=4)
    assert found == [pk for pk in ranked_in_sql("climate") if pk in newest] and query.ranked_among == 10
    # Found from every match read first, not by a walk: ranking them all took that long, so they are many, and a
    # walk reads the heap for each statement on the way (a phrase at ten million statements: past 5 s).
    assert not any("enable_bitmapscan" in query["sql"] for query in captured)


def test_past_the_statement_timeout_sorting_by_relevance_is_said_never_a_500(climate, settings, monkeypatch, client):
    """Every way of sorting by relevance past the site's statement timeout: the page says so (and shows the counts),
    the API and the feed refuse with the reason."""
    settings.EXPLORER_EXACT_COUNT_LIMIT = 0
    settings.EXPLORER_COUNT_BUDGET_MS = 20
    monkeypatch.setattr(facets, "COUNT_BOUND", 1)
    monkeypatch.setattr(facets, "estimate", lambda queryset: 3)  # Every match ranked, as estimated.
    slow_reads(monkeypatch)
    with connection.cursor() as cursor:  # The site's statement timeout, under the slowed reads' 0.1 s.
        cursor.execute("SET LOCAL statement_timeout = 60")
    reason = "sorting these matches by relevance took too long: sort them by date, or narrow the search"
    query = ExplorerQuery(QueryDict("q=climate&sort=relevance"))
    page = query.page(None, read=ids_of, size=4)
    assert (page.object_list, [note.reason for note in page.notes]) == ([], [reason])
    # No rows read, which says nothing of how many match: the counts stay the estimate.
    assert (query.facets.total, query.facets.exact) == (3, False)

    response = client.get("/statements/?q=climate&sort=relevance")
    assert response.status_code == 200 and reason in response.content.decode()
    assert "No statements match" not in response.content.decode()
    assert 'href="?q=climate">See them newest first</a>' in response.content.decode()
    response = client.get("/api/statements/?q=climate&sort=relevance")
    assert response.status_code == 400 and response.json()["errors"][0]["reason"] == reason
    response = client.get("/feeds/statements/?q=climate&sort=relevance")
    assert response.status_code == 400 and reason in response.content.decode()


def test_too_many_to_count_and_fewer_than_estimated_are_read_first_to_find_the_newest(climate, settings, monkeypatch):
    """The planner may expect far more matches than there are: walking to the newest is given the counts' time
    budget, and past it (a walk to the newest of a few reads most of the date index) the same newest are found by
    reading every match first."""
    settings.EXPLORER_EXACT_COUNT_LIMIT = 0
    settings.EXPLORER_RELEVANCE_CANDIDATES = 10
    settings.EXPLORER_COUNT_BUDGET_MS = 20
    monkeypatch.setattr(facets, "COUNT_BOUND", 1)
    monkeypatch.setattr(facets, "estimate", lambda queryset: 5000)  # A walk to the newest reads fewer, as estimated.
    assert ExplorerQuery(QueryDict("q=climate&sort=relevance")).ranks_newest(None)
    slow_reads(monkeypatch)
    with CaptureQueriesContext(connection) as captured:
        found, query = pages("q=climate&sort=relevance", size=4)
    newest = set(newest_in_sql("climate", 10))
    assert found == [pk for pk in ranked_in_sql("climate") if pk in newest] and query.ranked_among == 10
    # Each of the 3 pages: the walk, cancelled past its budget, then the same newest found by reading every match.
    assert sum("WITH candidates" in query["sql"] for query in captured) == 3 * 2
    assert sum("enable_bitmapscan" in query["sql"] for query in captured) == 3


KOREAN = [
    "북한은 대화의 장으로 나와야 한다고 밝혔다.",
    "북한의 대화 제의를 환영하며, 북한은 대화에 나와야 한다.",
    "북한은 대화의 장으로 나와야 하고, 미사일 발사를 멈춰야 한다.",  # Excluded by -미사일.
    "대화의 북한은 아니다.",  # Not the phrase.
]


@pytest.fixture
def korean(nuclear):
    cho = make_official(name="Park Jin", country="KR")
    for n, text in enumerate(KOREAN * 2):
        make_statement(text=text, language="ko", official=cho, date=datetime.date(2024, 3, 1 + n % 3))
    make_statement(text="North Korea (북한은 대화의 장으로) said so.", official=cho)  # English: Korean words too.


@pytest.mark.parametrize("words", [PHRASE, '"북한은 대화의" -미사일', "북한 -미사일", "nuclear -iran -북한"])
def test_english_and_korean_matches_are_ranked_and_counted_as_sql_ranks_every_match(korean, words):
    in_sql = ranked_in_sql(korean_search.analysed(words))
    assert in_sql
    found, query = pages(f"q={quote(words)}&sort=relevance", size=4)
    assert found == in_sql and query.facets.first == in_sql and query.facets.total == len(in_sql)


def test_words_that_both_parses_read_alike_are_read_in_one_part(korean):
    """Korean words parse alike in English and simply: the planner reads only the part of the English."""
    words = quote('"북한은 대화의" -미사일')
    reads = [node for node in counting_plan(f"q={words}&sort=relevance") if words_checked(node)]
    assert [(node["Node Type"], words_checked(node)) for node in reads] == [("Bitmap Heap Scan", 1)]
    assert "language" not in reads[0].get("Filter", "")


def counted_by_date_trunc(period, ids):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT date_trunc('{period}', date)::date, count(*) FROM statements_statement WHERE id = ANY(%s)"
            " GROUP BY 1",
            [ids],
        )
        return dict(cursor.fetchall())


def test_the_counts_by_month_and_week_are_those_of_date_trunc(nuclear):
    """The facets' counts by period (by date arithmetic) against date_trunc's, before 2000 and on Sundays too; the
    weeks only when the span is short enough for a timeline to draw them."""
    counts = ExplorerQuery(QueryDict(f"q={PHRASE}"), timeline=True).facets
    assert counts.periods["month"] == counted_by_date_trunc("month", ranked_in_sql(PHRASE))
    assert "week" not in counts.periods  # 1999 to 2024: drawn by year.
    for sunday in (datetime.date(1999, 12, 26), datetime.date(1999, 12, 19)):
        make_statement(text="Nuclear weapons, and Christmas.", date=sunday)
    make_statement(text="Nuclear weapons in the new year.", date=datetime.date(2000, 1, 3))
    until = f"q={PHRASE}&date_to=2000-01-31"
    ids = list(Statement.objects.filter(date__lt=datetime.date(2000, 2, 1)).values_list("id", flat=True))
    short = ExplorerQuery(QueryDict(until), timeline=True)
    weeks = short.facets.periods["week"]
    assert weeks == counted_by_date_trunc("week", ids) and sum(weeks.values()) == 4
    assert timeline.read(short).interval == "week"
    # August to January, 184 days from the first of the first month to the end of the last: by month, as the
    # timeline's own rule says, and no weeks counted.
    make_statement(text="Nuclear weapons in August.", date=datetime.date(1999, 8, 15))
    wider = ExplorerQuery(QueryDict(until), timeline=True)
    assert "week" not in wider.facets.periods and timeline.read(wider).interval == "month"


def budgeted_reads_end_their_settings(walk):
    """A budgeted read's rows within the budget, None past it, in one message (one query as Django logs it), and the
    connection's settings as they were after either: the budget and the walk were the query's alone."""

    def settings_now():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), current_setting('enable_bitmapscan')")
            return cursor.fetchone()

    before = settings_now()
    with CaptureQueriesContext(connection) as queries:
        # Not the site's own timeout (5 s), so that one left behind would show.
        assert facets.rows_within(4000, "SELECT %s::int, current_setting('statement_timeout')", [7], walk=walk) == [
            (7, "4s")
        ]
    sent = [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert len(sent) == 1
    assert settings_now() == before
    assert facets.rows_within(20, "SELECT pg_sleep(1)", [], walk=walk) is None
    assert settings_now() == before
    assert connection.is_usable()


# Outside a test's transaction; the migrations' rows (topics, the data version) restored after it, as for the others.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("walk", [False, True])
def test_a_budgeted_read_outside_a_transaction_is_one_round_trip_and_its_settings_end_with_it(walk):
    budgeted_reads_end_their_settings(walk)
    assert not connection.in_atomic_block


@pytest.mark.parametrize("walk", [False, True])
def test_a_budgeted_read_inside_a_transaction_leaves_the_transactions_settings_alone(walk):
    """Inside a transaction (a test's, a worker's), SET LOCAL would last until it ends: a savepoint ends it."""
    budgeted_reads_end_their_settings(walk)
    assert Statement.objects.exists() in (True, False)  # The transaction goes on after the cancelled read.


def test_the_topics_and_countries_are_read_again_only_when_the_data_version_changes(client, world):
    def read_tables(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        tables = ("statements_topic", "statements_country")
        return {table for table in tables for query in queries if f'FROM "{table}"' in query["sql"]}

    read_tables("/statements/")
    assert read_tables("/statements/?country=KR") == set()  # The same version: neither table read again.
    fresh = make_topic(name="Arctic shipping lanes")  # Its trigger changes the version, in this transaction.
    assert read_tables(f"/statements/?topic={fresh.slug}") == {"statements_topic", "statements_country"}
    query = ExplorerQuery(QueryDict(f"topic={fresh.slug}&country=KR"))
    assert query.values["topic"] == [fresh.slug] and not query.notes
    assert fresh.slug in {topic.slug for topic in query.topics}


def test_a_counted_page_reads_no_trigger_kept_count_for_its_timeline(client, world, monkeypatch):
    """A page whose facets counted its matches draws its timeline from that count: whether any can match is known."""
    asked = []
    published_total = facets.published_total
    monkeypatch.setattr(facets, "published_total", lambda *args: asked.append(args) or published_total(*args))
    response = client.get("/statements/?q=alliance&country=KR")
    assert response.status_code == 200 and response.context["chart"] is not None
    assert asked == [(["KR"], [])]  # The counts' bound on the matches (below); the timeline asks nothing.


def counts_read(client, url):
    """The answer to a GET, and how many of its queries read the trigger-kept counts and the data version."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    tables = ["statements_publishedcount", "statements_dataversion"]
    return response, *(sum(table in query["sql"] for query in queries) for table in tables)


def test_the_trigger_kept_counts_are_read_once_a_data_version(client, world):
    """A page of countries and a topic reads its counts from PublishedCount once a data version, in one query a
    request for the version, and again once a publish changes it."""
    url = f"/statements/?country=KR&topic={world['security'].slug}"
    first, counted, versions = counts_read(client, url)
    assert (first.context["facets"].total, counted, versions) == (3, 1, 1)
    again, counted, versions = counts_read(client, url)
    assert (again.context["facets"].total, counted, versions) == (3, 0, 1)
    make_statement(text="Published since.", official=world["statements"][0].official, topics=[world["security"]])
    after, counted, versions = counts_read(client, url)
    assert (after.context["facets"].total, counted, versions) == (4, 1, 1)
    assert "Published since." in after.content.decode()
    feed = url.replace("/statements/", "/feeds/statements/")
    assert counts_read(client, feed)[1:] == (0, 1)  # Whether any can match: the same counts.


def test_the_trigger_kept_counts_of_several_topics_are_one_read(client, world):
    """Whether any can match a feed of several topics: the countries' counts of every topic, read once, not once a
    topic."""
    third = make_topic(name="Third topic")
    topics = "&".join(f"topic={topic.slug}" for topic in [world["security"], world["empty"], third])
    feed, counted, versions = counts_read(client, f"/feeds/statements/?country=KR&{topics}")
    assert (counted, versions) == (1, 1)
    assert feed.content.decode().count("<entry>") == 3


def test_a_search_within_the_trigger_kept_counts_of_its_filters_asks_no_estimate(client, world, settings, monkeypatch):
    """Matches of a country and a topic are no more than PublishedCount holds of them: within the exact-count limit,
    they are counted without asking the planner how many to expect; past it, the planner is asked as before, and
    its estimate (not that bound) is the total shown when they are not counted."""

    def explains(params):
        with CaptureQueriesContext(connection) as queries:
            found = ExplorerQuery(QueryDict(params)).facets  # As counted, before a page read corrects an estimate.
        return found, sum(query["sql"].startswith("EXPLAIN") for query in queries)

    url = f"q=alliance&country=KR&topic={world['security'].slug}"
    assert [(found.total, found.exact, asked) for found, asked in [explains(url)]] == [(3, True, 0)]
    assert client.get(f"/statements/?{url}").context["facets"].total == 3
    settings.EXPLORER_EXACT_COUNT_LIMIT = 2  # Fewer than the 3 statements of Korea on the topic.
    found, asked = explains(url)
    assert (found.total, found.exact, asked) == (3, True, 1)  # Expected within the limit: counted.
    estimate = facets.estimate
    monkeypatch.setattr(facets, "estimate", lambda queryset: estimate(queryset) and 5000)  # Too many to count.
    found, asked = explains(url)
    assert (found.total, found.exact, asked) == (5000, False, 1)


def test_an_officials_statements_within_their_trigger_kept_count_are_counted_without_an_estimate(
    client, world, settings
):
    """An official's statements, whatever else is chosen, are no more than OfficialCount holds of them: within the
    exact-count limit, counted without asking the planner, however many statements others have."""
    official = world["statements"][0].official
    for n in range(4):
        make_statement(text=f"Someone else's words ({n}).")
    settings.EXPLORER_EXACT_COUNT_LIMIT = 5  # Fewer than the 7 published: without the official's 3, it asks.

    def explains(params):
        with CaptureQueriesContext(connection) as queries:
            found = ExplorerQuery(QueryDict(params)).facets
        return found.total, found.exact, sum(query["sql"].startswith("EXPLAIN") for query in queries)

    assert explains(f"official={official.slug}&kind=direct") == (3, True, 0)
    assert explains(f"official={official.slug}&q=alliance") == (3, True, 0)
    assert explains("kind=direct")[2] == 1  # All of them: the planner is asked.
    make_statement(text="The alliance, again.", official=official)  # Counted again in a new data version.
    assert explains(f"official={official.slug}&q=alliance") == (4, True, 0)
    page = client.get(f"/officials/{official.slug}/")
    assert page.context["facets"].total == 4 and "The alliance, again." in page.content.decode()


# Committed and vacuumed, as a served table is: the planner's choice depends on the table's statistics and its
# visibility map, which a test's transaction leaves empty until autovacuum happens to analyse it mid-run.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_mentions_of_a_country_are_read_from_an_index_alone():
    """mentions=KP: the statements mentioning a country, found in the index of the mentions by country (the pair
    the other way round, or the country alone, would read the table's pages for each mention)."""
    kp = make_statement(text="Pyongyang fired a missile.", mentions=["KP"])
    others = [make_statement(text=f"Statement {n}.") for n in range(40)]
    countries = list(Country.objects.exclude(code="KP").values_list("code", flat=True))
    mention = Statement.mentioned_countries.through
    mention.objects.bulk_create(
        mention(statement=statement, country_id=code) for statement in others for code in countries
    )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {mention._meta.db_table}")
    matching = ExplorerQuery(QueryDict("mentions=KP")).filtered()
    assert list(matching.values_list("pk", flat=True)) == [kp.pk]
    sql, params = matching.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        sql = cursor.mogrify(sql, params)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        reads = [node for node in plan_nodes(sql) if node.get("Relation Name", "").endswith("mentioned_countries")]
    assert [(node["Node Type"], node["Index Name"]) for node in reads] == [
        ("Index Only Scan", "mention_country_statement")
    ]


@pytest.mark.parametrize("params", ["q=nuclear+weapons", "q=%22nuclear+weapons%22&country=KR&sort=relevance", ""])
def test_the_estimate_is_the_planners_for_the_statements_the_query_selects(nuclear, params):
    """The planner's estimate of a view's matches, read from the plan of their ids alone, unordered: the number it
    expects of the whole query as the page reads it."""
    matching = ExplorerQuery(QueryDict(params)).filtered()
    sql, values = matching.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", values)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert facets.estimate(matching) == plan[0]["Plan"]["Plan Rows"] > 0


def test_whether_a_search_holds_a_word_is_asked_of_postgresql_once_a_process(db):
    """Stop words alone ("the or") search for nothing: PostgreSQL's dictionaries say so, once for each search, with
    the parses that a search's parts split into words and pairs (search.paired)."""
    search.parses.cache_clear()
    asked = []
    for words in ["the or", "the or", "the alliance", "the or", '"the alliance"']:
        with CaptureQueriesContext(connection) as captured:
            query = ExplorerQuery(QueryDict(urlencode({"q": words})))
            query.matching_parts()
        asked += [item["sql"] for item in captured if "numnode" in item["sql"]]
        assert bool(query.words) == ("alliance" in words)
        assert any(note.code == "no_lexemes" for note in query.notes) == (words == "the or")
    assert len(asked) == 3


def test_each_filter_form_has_copies_of_its_own_of_the_filters_and_fields_it_changes(world):
    first = StatementFilter(QueryDict("q=alliance&country=KR&topic=peninsula-security&country=ZZ"))
    second = StatementFilter(QueryDict("country=US"))
    # One form class, made once; each form its own filters and fields.
    assert type(first.form) is type(second.form)
    for name in ["q", "country", "topic", "sort"]:
        assert first.filters[name] is not second.filters[name]
        assert first.form.fields[name] is not second.form.fields[name]
    # Each filter's method is its own FilterSet's, so that each filters by its own form's values.
    assert first.filters["q"].filter.f is first.filters["q"] and first.filters["q"].parent is first
    assert second.filters["country"].filter.f.parent is second
    assert first.form.is_valid() and second.form.is_valid()
    assert first.form.fields["country"].unknown == ["ZZ"] and second.form.fields["country"].unknown == []
    assert [statement.pk for statement in first.qs] == [statement.pk for statement in world["statements"][::-1]]
    assert not second.qs.exists()
    # What a form set on its fields is not the declared fields'.
    assert not hasattr(StatementFilter.get_form_class().base_fields["country"], "unknown")


@pytest.mark.parametrize("filterset", [StatementFilter, OfficialFilter, OrganizationFilter, TopicFilter, SourceFilter])
def test_every_filterset_copies_its_filters_for_each_instance_from_one_form_class(filterset, db):
    first, second = filterset(QueryDict("kind=bogus")), filterset(QueryDict(""))
    assert type(first.form) is type(second.form)
    assert all(first.filters[name] is not second.filters[name] for name in filterset.base_filters)
    assert all(first.filters[name].parent is first for name in filterset.base_filters)
    # Labelled as django-filter labels an instance's filters: as declared, else by their model field.
    model = filterset._meta.model
    assert {name: field.label for name, field in first.form.fields.items()} == {
        name: declared._label or label_for_filter(model, declared.field_name, declared.lookup_expr, declared.exclude)
        for name, declared in filterset.base_filters.items()
    }
    # A wrong value is refused by its own form only.
    assert ("kind" in first.form.errors) == ("kind" in filterset.base_filters) and not second.form.errors


def test_a_searchs_conditions_and_rank_hold_in_a_subquery():
    """search.Searched writes its SQL around the statement's columns: in a subquery, under the subquery's alias."""
    sanctions = make_official(name="Speaks of sanctions")
    make_statement(text="We will not lift the sanctions.", official=sanctions, language="en")
    make_statement(text="Nous maintenons les sanctions.", official=make_official(name="En français"), language="fr")
    make_statement(text="We will strengthen the alliance.", official=make_official(name="Of the alliance"))
    statements = Statement.objects.published()

    def officials(among):
        """The officials of these statements, read by a subquery of them."""
        return set(Official.objects.filter(pk__in=among.values("official")).values_list("name", flat=True))

    assert officials(statements.filter(search.matching("sanction"))) == {"Speaks of sanctions"}
    english, simple = search.matching_parts("sanctions")
    assert officials(statements.filter(english)) == {"Speaks of sanctions"}
    assert officials(statements.filter(simple)) == {"En français"}
    ranked = statements.annotate(rank=search.rank("alliance")).filter(rank__gt=0)
    assert officials(ranked) == {"Of the alliance"}
