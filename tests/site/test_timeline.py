import datetime
import re
import types

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from statements import timeline
from statements.models import Statement
from statements.query import ExplorerQuery
from tests.factories import make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world():
    """Statements from June 2023 to March 2024, from Korea and Japan, on two topics (one with a subtopic)."""
    security = make_topic(name="Peninsula security")
    talks = make_topic(name="Denuclearization talks", parent=security)
    ocean = make_topic(name="Ocean policy")
    cho = make_official(name="Cho Tae-yul", country="KR")
    kamikawa = make_official(name="Kamikawa Yoko", country="JP")
    make_statement(text="Ocean rules matter.", official=cho, date=D(2023, 6, 1), topics=[ocean])
    make_statement(text="The alliance is strong.", official=cho, date=D(2024, 1, 10), topics=[security])
    make_statement(text="The alliance will grow.", official=cho, date=D(2024, 1, 20), topics=[talks])
    make_statement(text="Our alliance endures.", official=kamikawa, date=D(2024, 2, 14), topics=[ocean, security])
    make_statement(text="The alliance talks resume.", official=cho, date=D(2024, 3, 5), topics=[talks])
    make_statement(text="The ocean is shared.", official=kamikawa, date=D(2024, 3, 30), topics=[ocean])
    # Never counted: a draft.
    make_statement(text="The alliance, drafted.", official=cho, date=D(2024, 2, 1), status=Statement.Status.DRAFT)
    return {"cho": cho, "security": security, "talks": talks, "ocean": ocean}


def counted(query_string, **kwargs):
    params = QueryDict(query_string)
    interval, _ = timeline.interval_asked(params)
    return timeline.read(ExplorerQuery(params, also=["interval"]), interval=interval, **kwargs)


def months(result):
    """{series value: {"YYYY-MM": count}} for every period, zeros included."""
    return {
        series.value: {
            f"{period.start:%Y-%m}": count for period, count in zip(result.periods, series.counts, strict=True)
        }
        for series in result.series
    }


def by_sql(where, params=()):
    """Published statements per month by a plain SQL count, for the statements `where` selects."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_char(date, 'YYYY-MM'), count(*) FROM statements_statement s "
            f"WHERE status = 'published' AND {where} GROUP BY 1",
            params,
        )
        return dict(cursor.fetchall())


def test_the_timeline_counts_published_statements_per_month_with_the_empty_months(world):
    result = counted("")
    assert result.interval == "month"  # From June 2023 to March 2024: more than 6 months, less than 15 years.
    assert months(result) == {
        "": {
            "2023-06": 1,
            **{f"2023-{month:02}": 0 for month in range(7, 13)},
            "2024-01": 2,
            "2024-02": 1,  # Not the draft.
            "2024-03": 2,
        }
    }
    assert result.periods[-1] == timeline.Period(D(2024, 3, 1), D(2024, 3, 31), "month")


@pytest.mark.parametrize(
    "query_string, where",
    [
        ("q=alliance", "s.text ILIKE '%%alliance%%'"),
        ("country=JP", "s.country_id = 'JP'"),
        ("topic=peninsula-security", "s.text ~ 'alliance'"),  # Its subtopic's statements too.
        ("topic=denuclearization-talks&country=KR", "s.text ~ 'grow|resume'"),
        ("q=alliance&date_from=2024-01-15&date_to=2024-03-10", "s.text ILIKE '%%alliance%%' AND date >= '2024-01-15'"),
        ("mentions=US", "false"),
    ],
)
def test_the_counts_follow_every_filter(world, query_string, where):
    result = counted(f"{query_string}&interval=month")
    found = {month: count for month, count in months(result).get("", {}).items() if count}
    assert found == by_sql(where)


def test_the_period_follows_the_span_of_the_statements_matched(world):
    assert counted("date_from=2024-01-01").interval == "week"  # January to March.
    weeks = counted("date_from=2024-01-01")
    assert [period.start for period in weeks.periods][:2] == [D(2024, 1, 8), D(2024, 1, 15)]  # Mondays.
    assert sum(weeks.series[0].counts) == 5 and len(weeks.periods) == 12
    make_statement(text="Long ago.", official=world["cho"], date=D(2005, 5, 5))
    by_year = counted("")
    assert (by_year.interval, [period.start.year for period in by_year.periods]) == ("year", list(range(2005, 2025)))
    assert by_year.series[0].counts[:2] == [1, 0] and by_year.series[0].counts[-2:] == [1, 5]
    assert counted("interval=month").interval == "month"  # As asked.


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "interval=month",
        "interval=year",
        "country=KR",
        "country=KR&country=JP",
        "topic=ocean-policy",
        "topic=peninsula-security&interval=month",
        "topic=peninsula-security&topic=ocean-policy",
        "country=JP&topic=peninsula-security&topic=ocean-policy&interval=year",
        "country=KR&country=JP&topic=denuclearization-talks&interval=month",
        "date_from=2023-06-01&date_to=2024-02-29",
        "country=KR&date_from=2024-01-01&date_to=2024-12-31&interval=month",
    ],
)
def test_the_counts_by_month_give_what_counting_the_statements_gives(world, query_string):
    query = ExplorerQuery(QueryDict(query_string), also=["interval"])
    interval, _ = timeline.interval_asked(QueryDict(query_string))
    chosen, _ = timeline.split(query)
    by_month = timeline._precounted(query, chosen, interval)
    assert by_month is not None
    assert by_month == timeline._counted(query, chosen, interval)


@pytest.mark.parametrize(
    "query_string",
    [
        "q=alliance",
        "official=cho-tae-yul",
        "date_from=2024-01-15",  # Not a whole month.
        "country=KR&country=JP&topic=peninsula-security&topic=ocean-policy",  # Series of overlapping sets.
        "date_from=2024-01-01",  # January to March: weeks, which need the days.
        "interval=week",
    ],
)
def test_the_statements_are_counted_where_the_counts_by_month_cannot_say(world, query_string):
    query = ExplorerQuery(QueryDict(query_string), also=["interval"])
    interval, _ = timeline.interval_asked(QueryDict(query_string))
    assert timeline._precounted(query, timeline.split(query)[0], interval) is None
    assert timeline.read(query, interval=interval).series  # Counted all the same.


def test_the_published_months_follow_publication_and_dates(world):
    before = months(counted("interval=month"))[""]
    draft = Statement.objects.get(status=Statement.Status.DRAFT)
    draft.review(Statement.Status.PUBLISHED)
    draft.save()
    assert months(counted("interval=month"))[""]["2024-02"] == before["2024-02"] + 1
    draft.date = D(2024, 3, 2)
    draft.save()
    after = months(counted("interval=month"))[""]
    assert (after["2024-02"], after["2024-03"]) == (before["2024-02"], before["2024-03"] + 1)


def test_several_countries_or_topics_are_several_series(world):
    result = counted("country=KR&country=JP&interval=month")
    assert [(series.param, series.value, series.label) for series in result.series] == [
        ("country", "KR", "South Korea"),
        ("country", "JP", "Japan"),
    ]
    assert months(result)["KR"]["2024-01"] == 2 and months(result)["JP"]["2024-03"] == 1
    topics = counted("topic=peninsula-security&topic=ocean-policy&interval=month")
    # A statement on both topics counts in both; a subtopic's statements in its parent's.
    security, ocean = months(topics)["peninsula-security"], months(topics)["ocean-policy"]
    assert (security["2024-01"], security["2024-02"], ocean["2024-02"], ocean["2024-03"]) == (2, 1, 1, 1)
    many = [make_topic(name=f"Extra topic {number}") for number in range(4)]
    six = "&".join(f"topic={topic.slug}" for topic in [world["security"], world["ocean"], *many])
    result = counted(six)
    assert len(result.series) == 5 and result.left_out == ["Extra topic 3"]


def test_when_nothing_can_match_no_statement_is_read(world):
    query = ExplorerQuery(QueryDict("country=FR"))
    with CaptureQueriesContext(connection) as captured:
        result = timeline.read(query)
    assert (result.periods, result.series, result.in_time) == ([], [], True)
    assert not [query for query in captured if "date_trunc" in query["sql"]]


def test_out_of_time_the_timeline_says_so(client, world, settings, monkeypatch):
    slow = RawSQL("(SELECT true FROM pg_sleep(0.3))", [], output_field=BooleanField())
    original = ExplorerQuery.filtered
    monkeypatch.setattr(ExplorerQuery, "filtered", lambda self, **kw: original(self, **kw).filter(slow))
    settings.TIMELINE_BUDGET_MS = 0  # No time at all (to PostgreSQL, 0 would mean no limit).
    assert counted("q=alliance").in_time is False
    page = client.get("/statements/timeline/?q=alliance")
    assert page.status_code == 200
    assert "Counting these statements over time took too long" in page.content.decode()
    assert "<svg" not in page.content.decode()
    api = client.get("/api/statements/timeline/?q=alliance")
    assert (api.status_code, api.json()["counted"], api.json()["periods"]) == (200, False, [])
    assert client.get("/statements/timeline.csv?q=alliance").status_code == 503


def bars(content):
    return re.findall(r'<a href="([^"]+)"><rect class="bar series-(\d)"', content)


def test_the_page_draws_each_bar_as_a_link_to_its_period(client, world):
    response = client.get("/statements/timeline/?country=KR&q=alliance&interval=month")
    content = response.content.decode()
    assert response.status_code == 200
    drawn = bars(content)
    assert [QueryDict(href.split("?")[1].replace("&amp;", "&")).dict() for href, _ in drawn] == [
        {"q": "alliance", "country": "KR", "date_from": "2024-01-01", "date_to": "2024-01-31"},
        {"q": "alliance", "country": "KR", "date_from": "2024-03-01", "date_to": "2024-03-31"},
    ]
    assert all(href.startswith("/statements/?") for href, _ in drawn)
    # The numbers as a table, February's zero included; the downloads with the same parameters.
    assert re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(\d+)</td></tr>", content) == [
        ("Jan 2024", "2"),
        ("Feb 2024", "0"),
        ("Mar 2024", "1"),
    ]
    assert 'href="/statements/timeline.csv?q=alliance&amp;country=KR&amp;interval=month"' in content
    # Narrowing stays within the dates chosen.
    narrowed = bars(client.get("/statements/timeline/?date_from=2024-01-15&interval=month").content.decode())
    assert narrowed[0][0] == "/statements/?date_from=2024-01-15&amp;date_to=2024-01-31"  # Each date once.


def test_the_explorer_draws_the_timeline_its_counts_made_or_loads_it_after_its_own_answer(client, world):
    # A search reads the statements to count them: the same read counts them by month, and the chart comes with
    # the page, the same as the timeline's own page draws.
    content = client.get("/statements/?q=alliance&country=KR").content.decode()
    own = client.get("/statements/timeline/?q=alliance&country=KR", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="load"' not in content and bars(content) == bars(own) and len(bars(own)) == 3
    # Counted from PublishedCount (or split into series): the timeline is its own request, after the page's.
    for query in ["country=KR", "country=KR&country=JP&q=alliance"]:
        content = client.get(f"/statements/?{query}").content.decode()
        url = f"/statements/timeline/?{query}".replace("&", "&amp;")
        assert f'hx-get="{url}" hx-trigger="load"' in content and not bars(content)
        assert f'<a href="{url}">These statements over time</a>' in content
    fragment = client.get("/statements/timeline/?q=alliance&country=KR", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section class="timeline"') and "<html" not in fragment


@pytest.mark.parametrize(
    "query_string",
    [
        "q=alliance",
        "q=alliance&interval=month",
        "q=alliance&interval=year",
        "official=cho-tae-yul",
        "date_from=2023-06-02",
        "q=alliance&date_from=2024-01-15",
        "q=ocean&topic=ocean-policy&interval=month",
    ],
)
def test_the_counts_made_with_the_facets_give_what_counting_the_statements_gives(world, query_string):
    params = QueryDict(query_string)
    query = ExplorerQuery(params, also=["interval"], timeline=True)
    interval, _ = timeline.interval_asked(params)
    assert query.facets.periods
    with_facets = timeline._from_facets(query, [timeline.ALL], interval)
    assert with_facets is not None
    assert with_facets == timeline._counted(query, [timeline.ALL], interval)


def test_the_pages_of_a_country_a_topic_and_an_official_have_their_own_timeline(client, world):
    country = client.get("/countries/KR/").content.decode()
    assert 'hx-get="/countries/KR/timeline/"' in country
    content = client.get("/countries/KR/timeline/?interval=month").content.decode()
    assert [href.split("?")[0] for href, _ in bars(content)] == ["/countries/KR/"] * 3
    assert "date_from=2023-06-01&amp;date_to=2023-06-30" in bars(content)[0][0]
    assert "country=" not in bars(content)[0][0]  # The page's own filter is its path.
    topic = client.get("/topics/ocean-policy/timeline/?interval=month").content.decode()
    assert len(bars(topic)) == 3
    official = client.get(f"/officials/{world['cho'].slug}/timeline/?interval=year").content.decode()
    assert [title for title in re.findall(r"<title>(\d{4}: .*?)</title>", official)] == [
        "2023: 1 statement",
        "2024: 3 statements",
    ]
    # Another value for the page's own filter: a note, and the page's own.
    other = client.get("/countries/KR/timeline/?country=JP")
    assert "this page keeps to its own country" in other.content.decode()
    assert client.get("/countries/XX/timeline/").status_code == 404


def test_bad_parameters_get_notes_on_the_page(client, world):
    response = client.get("/statements/timeline/?interval=daily&country=XX&topic=nothing&date_from=2024-13-01")
    content = response.content.decode()
    assert response.status_code == 200
    for note in ["interval=daily</code>: use one of week, month, year", "country=XX", "topic=nothing", "date_from"]:
        assert note in content
    assert len(bars(content)) == 10 - 6  # Every statement, by month: the months with statements.


def test_every_way_of_counting_measures_the_span_in_whole_months(world):
    # 14.99 years from day to day, but from January 2010 to the end of January 2025 in months: per year, each way.
    official = world["cho"]
    make_statement(text="Early.", official=official, date=D(2010, 1, 15))
    make_statement(text="Late.", official=official, date=D(2025, 1, 10))
    Statement.objects.exclude(text__in=["Early.", "Late."]).delete()
    everything = ExplorerQuery(QueryDict(""), also=["interval"])
    assert timeline._precounted(everything, [timeline.ALL], "")[0][0] == "year"
    assert timeline._counted(everything, [timeline.ALL], "")[0][0] == "year"
    scanned = ExplorerQuery(QueryDict("official=cho-tae-yul"), timeline=True)
    assert scanned.facets.periods  # Counted one by one, by period too.
    assert timeline._from_facets(scanned, [timeline.ALL], "")[0][0] == "year"


def test_the_charts_bars_and_numbers_escape_what_curators_named(client, world):
    named = make_topic(name='Trade & <b>"aid"</b>')
    for day in range(1, 4):
        make_statement(text="Aid flows.", official=world["cho"], date=D(2024, 1, day), topics=[named])
    content = client.get(f"/statements/timeline/?topic={named.slug}&topic=ocean-policy&interval=month").content
    content = content.decode()
    titles = re.findall(r"<rect class=\"bar series-\d\"[^>]*><title>(.*?)</title>", content)
    assert "Jan 2024: 3 statements (Trade &amp; &lt;b&gt;&quot;aid&quot;&lt;/b&gt;)" in titles
    assert "<b>" not in content.split("<svg", 1)[1].split("</table>", 1)[0]
    # Each bar's link, its ampersands escaped; the rows of numbers, a cell for each series.
    assert all("&" not in href.replace("&amp;", "") for href, _ in bars(content))
    assert '<tr><th scope="row">Jan 2024</th><td>3</td><td>0</td></tr>' in content


def test_the_tables_numbers_are_grouped_by_thousands(world):
    from statements.site.charts import numbers_html

    period = timeline.Period(D(2024, 1, 1), D(2024, 1, 31), "month")
    result = types.SimpleNamespace(rows=[(period, [1234567, 0])])
    assert numbers_html(result) == '<tr><th scope="row">Jan 2024</th><td>1,234,567</td><td>0</td></tr>\n'


def test_the_chart_names_its_periods_and_counts_in_the_readers_language(client, world):
    korean = client.get("/statements/timeline/?country=KR&interval=month", headers={"Accept-Language": "ko"})
    content = korean.content.decode()
    titles = re.findall(r"<rect class=\"bar series-\d\"[^>]*><title>(.*?)</title>", content)
    assert "2024년 1월: 발언 2건" in titles
    assert '<tr><th scope="row">2024년 1월</th><td>2</td></tr>' in content and "Jan" not in content
    weeks = client.get(
        "/statements/timeline/?country=KR&interval=week&date_from=2024-01-01&date_to=2024-01-31",
        headers={"Accept-Language": "ko"},
    ).content.decode()
    assert '<tr><th scope="row">2024년 1월 8일 주</th><td>1</td></tr>' in weeks
    assert re.search(r'text-anchor="middle">2024년 1월 8일</text>', weeks) and "week of" not in weeks
    english = client.get("/statements/timeline/?country=KR&interval=week&date_from=2024-01-01&date_to=2024-01-31")
    assert '<tr><th scope="row">Week of 8 Jan 2024</th><td>1</td></tr>' in english.content.decode()
    assert "week of 8 Jan 2024: 1 statement</title>" in english.content.decode()
