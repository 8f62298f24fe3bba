import datetime
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from statements import compare
from statements.models import Statement, Topic
from tests.factories import make_official, make_statement

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world():
    """China and the United States on climate and trade, 2019 to 2023; a draft never counted."""
    climate, trade = Topic.objects.get(slug="climate-change"), Topic.objects.get(slug="trade")  # Starter topics.
    wang = make_official(name="Wang Yi", country="CN")
    kerry = make_official(name="John Kerry", country="US")
    blinken = make_official(name="Antony Blinken", country="US")
    make_statement(text="Carbon neutrality by 2060.", official=wang, date=D(2020, 9, 22), topics=[climate])
    make_statement(text="Climate cooperation with the US.", official=wang, date=D(2021, 4, 17), topics=[climate])
    make_statement(
        text="Tariffs hurt both sides.", official=wang, date=D(2019, 5, 10), topics=[trade], mentions=["US"]
    )
    make_statement(text="Climate finance now.", official=kerry, date=D(2021, 4, 16), topics=[climate], mentions=["CN"])
    make_statement(text="We rejoin Paris.", official=kerry, date=D(2021, 2, 19), topics=[climate])
    make_statement(
        text="Climate talks in Beijing.", official=kerry, date=D(2023, 7, 18), topics=[climate], mentions=["CN"]
    )
    make_statement(text="Trade with China.", official=blinken, date=D(2023, 6, 19), topics=[trade], mentions=["CN"])
    make_statement(
        text="A drafted climate line.",
        official=kerry,
        date=D(2022, 1, 1),
        topics=[climate],
        status=Statement.Status.DRAFT,
    )
    return {"climate": climate, "trade": trade, "wang": wang, "kerry": kerry}


def by_sql(where, params=()):
    """Published statements per year, by plain SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT extract(year FROM date)::int, count(*) FROM statements_statement s "
            f"WHERE status = 'published' AND {where} GROUP BY 1",
            params,
        )
        return dict(cursor.fetchall())


def test_countries_side_by_side_on_one_timeline_with_their_counts(client, world):
    response = client.get("/compare/?a=country:CN&b=country:US&topic=climate-change&interval=year")
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [(column.label, column.facets.total) for column in comparison.columns] == [
        ("China", 2),
        ("United States", 3),
    ]
    line = comparison.timeline
    assert [series.label for series in line.series] == ["China", "United States"]
    climate = "s.id IN (SELECT statement_id FROM statements_statementtopic WHERE topic_id = %s)"
    for series, code in zip(line.series, ["CN", "US"], strict=True):
        counted = {period.start.year: count for period, count in zip(line.periods, series.counts, strict=True)}
        expected = by_sql(f"s.country_id = %s AND {climate}", [code, world["climate"].pk])
        assert {year: count for year, count in counted.items() if count} == expected
    content = response.content.decode()
    # Each bar links to its column's statements in its period, in the explorer.
    hrefs = re.findall(r'<a href="([^"]+)"><rect class="bar series-(\d)"', content)
    first_us = next(QueryDict(href.split("?")[1].replace("&amp;", "&")) for href, series in hrefs if series == "1")
    assert first_us["country"] == "US" and first_us["topic"] == "climate-change"
    assert "Statements per year, by column" in content
    assert '<a href="/statements/?country=CN&amp;topic=climate-change">See them all</a>' in content


def test_each_column_has_its_top_topics_mentions_and_latest_statements(client, world):
    response = client.get("/compare/?a=country:China&b=official:John Kerry")
    china, kerry = response.context["comparison"].columns
    assert (china.value, kerry.label) == ("CN", "John Kerry")
    assert [(topic.label, topic.count) for topic in china.topics] == [
        ("Climate change", 2),
        ("Trade and protectionism", 1),
    ]
    assert china.mentioned == [("United States", "US", 1)]
    assert kerry.mentioned == [("China", "CN", 2)]
    assert [statement.text for statement in kerry.latest] == [
        "Climate talks in Beijing.",
        "Climate finance now.",
        "We rejoin Paris.",
    ]  # Newest first; not the draft.
    assert "A drafted climate line." not in response.content.decode()


@pytest.mark.parametrize("read", [1, 2, compare.MENTIONS_READ])
def test_a_searched_columns_mentions_and_latest_come_from_the_read_that_counts_it(client, world, monkeypatch, read):
    """The counts keep a column's latest matches, as many as its mentions are counted in: its mentions (among the
    latest `read`) and its latest statements are not a second read of its matches."""
    monkeypatch.setattr(compare, "MENTIONS_READ", read)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/compare/?a=country:US&b=country:CN&q=climate")
    us, china = response.context["comparison"].columns
    newest = Statement.objects.published().filter(country="US", text__icontains="climate").order_by("-date", "-pk")
    assert [statement.text for statement in us.latest] == ["Climate talks in Beijing.", "Climate finance now."]
    assert [statement.text for statement in us.latest] == [statement.text for statement in newest[: compare.LATEST]]
    mentions = Statement.mentioned_countries.through.objects.filter(statement__in=newest[:read], country="CN")
    assert us.mentioned == [("China", "CN", mentions.count())] and mentions.count() == min(read, 2)
    assert china.mentioned == [] and [statement.text for statement in china.latest] == [
        "Climate cooperation with the US."
    ]
    reads = [query["sql"] for query in captured if "@@" in query["sql"] and not query["sql"].startswith("EXPLAIN")]
    assert len(reads) == 2  # Each column's counts, once.


def test_searches_are_columns_too(client, world):
    response = client.get("/compare/?a=q:climate&b=q:trade&c=q:tariffs")
    columns = response.context["comparison"].columns
    assert [(column.label, column.facets.total) for column in columns] == [
        ("“climate”", 3),  # Not the draft.
        ("“trade”", 1),
        ("“tariffs”", 1),
    ]
    assert "<mark>" in response.content.decode()  # The words searched for, marked in the latest statements.


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("a=country:XX&b=country:US", "country=XX: there is no such country"),
        ("a=planet:Mars&b=country:US", "a=planet:Mars: a column is country:CODE, official:NAME or q:WORDS"),
        ("a=official:zzqqxx&b=country:US", "official=zzqqxx: no official has a name like it"),
        ("a=country:CN&b=country:US&country=JP", "a column of its own country keeps to it"),
        ("a=country:CN&b=country:US&date_from=yesterday", "date_from=yesterday: not a date"),
    ],
)
def test_bad_columns_and_filters_get_a_note_not_an_error(client, world, query, said):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 200
    content = response.content.decode().replace("<code>", "").replace("</code>", "")
    assert said in content


def test_fewer_than_two_columns_asks_for_more(client, world):
    for query in ["", "a=country:CN", "a=country:CN&b=country:XX"]:
        response = client.get(f"/compare/?{query}")
        assert response.status_code == 200
        assert "Choose at least two columns" in response.content.decode()
        assert "<svg" not in response.content.decode()


def test_countries_given_as_the_explorers_filter_become_the_columns(client, world):
    response = client.get("/compare/?country=CN&country=US&topic=climate-change")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?topic=climate-change&a=country:CN&b=country:US"
    content = client.get(response["Location"]).content.decode()
    assert "<svg" in content and "Choose at least two columns" not in content
    # Columns given, or a single country: the country is a shared filter, as before.
    assert client.get("/compare/?a=country:CN&b=country:US&country=US").status_code == 200
    assert client.get("/compare/?country=CN").status_code == 200
    # An empty choice (the form's "Add a country…") is no column.
    assert client.get("/compare/?country=&country=CN&country=US")["Location"] == "/compare/?a=country:CN&b=country:US"
    # An empty column (the compare form's own, left blank) is filled, not repeated.
    assert client.get("/compare/?a=&country=CN&country=US")["Location"] == "/compare/?a=country:CN&b=country:US"


def test_the_explorer_links_several_countries_to_compare(client, world):
    content = client.get("/statements/?country=CN&country=US&topic=climate-change").content.decode()
    assert 'href="/compare/?a=country:CN&amp;b=country:US&amp;topic=climate-change"' in content
    assert "/compare/" not in client.get("/statements/?country=CN").content.decode()


def test_the_columns_share_the_coarsest_interval(world):
    make_statement(text="Climate in 1995.", official=world["wang"], date=D(1995, 3, 1), topics=[world["climate"]])
    comparison = compare.compare(QueryDict("a=country:CN&b=official:john-kerry"))
    assert comparison.timeline.interval == "year"  # China spans 1995-2021; Kerry alone would be per month.
    assert [period.start.year for period in comparison.timeline.periods] == list(range(1995, 2024))
    assert sum(comparison.timeline.series[1].counts) == 3


def test_the_compare_page_speaks_korean_to_a_korean_browser(client, world):
    content = client.get("/compare/?a=country:CN&b=country:US", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "<h1>비교</h1>" in content and "모두 보기" in content and "주요 주제" in content


def test_a_korean_reader_names_a_column_s_country_in_korean(client, world):
    content = client.get("/compare/?a=country:중국&b=country:미국", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert re.findall(r'aria-hidden="true"></span>([^<]+)</h2>', content) == ["중국", "미국"]
    english = client.get("/compare/?a=country:중국&b=country:미국").content.decode()
    assert "<code>country=중국</code>: there is no such country" in english  # Korean names on Korean pages only.


def test_columns_find_their_countries_by_name_without_reading_the_countries_again(client, world):
    """A column's country, by code or by name in any case, and its label come from the names every request's filters
    read once a data version: no query of the countries for each column."""
    url = "/compare/?a=country:china&b=country:US&c=country:South Korea"
    client.get(url)  # The first request of this data version reads the countries, once.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert [(column.value, column.label) for column in response.context["comparison"].columns] == [
        ("CN", "China"),
        ("US", "United States"),
        ("KR", "South Korea"),
    ]
    assert [query["sql"] for query in captured if 'FROM "statements_country"' in query["sql"]] == []
