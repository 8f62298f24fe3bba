"""A statement shows alike wherever it is shown: its card, its CSV row, its API answer, its feed entry, its Popolo
speech, its page and its line in the admin all read statements.present."""

import csv
import datetime
import io
import json
from urllib.parse import urlsplit

import feedparser
import pytest
from django.db import (
    DEFAULT_DB_ALIAS,
    DataError,
    InternalError,
    ProgrammingError,
    connection,
    connections,
    transaction,
)
from django.db.models import JSONField, Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from statements import present
from statements.models import Statement
from statements.present import Shown, list_written, page, rows_written, written
from statements.query import Found
from statements.search import START, STOP
from tests.factories import make_official, make_organization, make_position, make_source, make_statement, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    alliance = make_topic(name="Alliance")
    security = make_topic(name="Peninsula security")
    cho = make_official(name="Cho Tae-yul", country="KR")
    ministry = make_organization(name="Ministry of Foreign Affairs", country="KR")
    make_position(official=cho, organization=ministry, start_date=datetime.date(2024, 1, 10))
    article = make_source(url="https://example.com/a", publisher="Yonhap", published_on=datetime.date(2024, 11, 12))
    return {
        "named": make_statement(
            text="The alliance will be strengthened.",
            official=cho,
            organization=ministry,
            topics=[security, alliance],
            mentions=["US", "KP"],
            source=article,
            date=datetime.date(2024, 11, 12),
        ),
        "ministry": make_statement(
            text="The ministry regrets the launch.",
            organization=ministry,
            topics=[security],
            source=make_source(publisher="A briefing, no address"),
            date=datetime.date(2024, 11, 10),
        ),
        "unnamed": make_statement(
            text="An official said talks would resume.",
            organization=ministry,
            attribution_text="a senior official",
            kind=Statement.Kind.PARAPHRASE,
            date=datetime.date(2024, 9, 1),
            date_precision=Statement.DatePrecision.MONTH,
        ),
        "international": make_statement(
            text="The Council will meet.",
            organization=make_organization(name="United Nations Security Council", country=None),
            date=datetime.date(2023, 1, 1),
            date_precision=Statement.DatePrecision.YEAR,
        ),
    }


def every_output(client):
    """Each statement as each output shows it: {pk: {output: what it shows}}."""
    cards = client.get("/statements/").context["page"].object_list
    download = b"".join(client.get("/statements/export.csv").streaming_content).decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(download))
    answers = client.get("/api/statements/?page_size=100").json()["results"]
    feed = feedparser.parse(client.get("/feeds/statements/").content)
    popolo = json.loads(b"".join(client.get("/export/popolo.json").streaming_content))
    shown = {card["pk"]: {"card": card} for card in cards}
    for row in rows:
        shown[int(row["id"])]["csv"] = row
    for answer in answers:
        shown[answer["id"]]["api"] = answer
    for entry in feed.entries:
        shown[int(urlsplit(entry.link).path.split("/")[2])]["feed"] = entry
    for speech in popolo["speeches"]:
        shown[int(speech["id"].removeprefix("speech/"))]["popolo"] = speech
    return shown


def test_every_output_shows_a_statement_alike(client, world):
    shown = every_output(client)
    assert set(shown) == {statement.pk for statement in world.values()}
    for outputs in shown.values():
        card, row, answer, entry, speech = (outputs[name] for name in ["card", "csv", "api", "feed", "popolo"])
        assert card["speaker"] == row["speaker"] == answer["speaker"] == entry.author
        assert card["text"] == row["text"] == answer["text"] == speech["text"] == entry.summary
        assert card["role"] == row["role"] == answer["role"] == speech["role"]
        assert card["attribution_text"] == row["attribution_text"] == answer["attribution_text"]
        assert card["organization"] == (answer["organization"] or {}).get("name") == (row["organization"] or None)
        assert card["official_slug"] == (answer["official"] or {}).get("slug") == (row["official"] or None)
        assert speech["creator_id"] == (f"person/{card['official_slug']}" if card["official_slug"] else None)
        assert card["country"] == (answer["country"] or {}).get("name")
        assert card["country_code"] == (answer["country"] or {}).get("code") == (row["country"] or None)
        assert card["date"].isoformat() == row["date"] == answer["date"]
        assert card["date_precision"] == row["date_precision"] == answer["date_precision"]
        assert speech["date"] == answer["date"][: {"year": 4, "month": 7, "day": 10}[answer["date_precision"]]]
        assert card["kind"] == row["kind"] == answer["kind"]
        assert speech["type"] == ("summary" if card["kind"] == "paraphrase" else "speech")
        assert [topic["slug"] for topic in card["topics"]] == [topic["slug"] for topic in answer["topics"]]
        assert ";".join(topic["slug"] for topic in card["topics"]) == row["topics"]
        assert [topic["name"] for topic in card["topics"]] == [tag.term for tag in entry.get("tags", [])]
        assert row["mentioned_countries"] == ";".join(country["code"] for country in answer["mentioned_countries"])
        addresses = [source["url"] for source in card["sources"] if source["url"]]
        assert addresses == [source["url"] for source in answer["sources"] if source["url"]]
        assert addresses == row["source_urls"].split() == [source["url"] for source in speech["sources"][:-1]]
        assert [source["publisher"] for source in card["sources"]] == [
            source["publisher"] for source in answer["sources"]
        ]
        # The page's address, and the permalink that leads to it whatever its words become.
        assert "http://testserver" + card["url"] == answer["html_url"]
        assert "http://testserver" + card["permalink"] == row["url"] == entry.link == speech["sources"][-1]["url"]
        assert client.get(row["url"]).url == card["url"]


def test_an_organization_speaks_under_one_name_everywhere(client, world):
    outputs = every_output(client)[world["ministry"].pk]
    name = "Ministry of Foreign Affairs (KR)"
    assert outputs["card"]["speaker"] == outputs["csv"]["speaker"] == outputs["api"]["speaker"] == name
    assert outputs["feed"].author == name
    assert name in client.get("/statements/").content.decode()
    assert f"<title>{name}, 10 November 2024" in client.get(world["ministry"].get_absolute_url()).content.decode()


def test_a_model_instance_and_a_row_of_values_show_the_same(client, world):
    from_rows = {shown.pk: shown for shown in page(Statement.objects.order_by("pk"))}
    for statement in Statement.objects.with_related().prefetch_related("mentioned_countries"):
        from_instance, from_row = Shown.of(statement), from_rows[statement.pk]
        for field in [
            "text",
            "kind",
            "kind_display",
            "date_display",
            "speaker",
            "official_url",
            "organization",
            "role",
            "country",
            "country_url",
            "topics",
            "mentions",
            "sources",
            "url",
            "permalink",
        ]:
            assert getattr(from_instance, field) == getattr(from_row, field), field
        assert from_instance.url == statement.get_absolute_url()


def test_the_admin_names_the_speaker_as_the_pages_do(curator_client, world):
    content = curator_client.get(reverse("admin:statements_statement_changelist")).content.decode()
    assert "Ministry of Foreign Affairs (KR)" in content and "a senior official" in content


def test_a_list_page_reads_its_statements_in_a_query_a_list_whatever_their_number(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # The ids; the rows, the topics and the sources, sent together.
        shown = page(Statement.objects.order_by("pk")[:25], lists=["topics", "sources"])
        assert [(item.topics, item.sources, item.url) for item in shown]
    with django_assert_num_queries(2):
        assert [item.mentions for item in page(Statement.objects.order_by("pk")[:25])]
    with django_assert_num_queries(1):  # No statement: no rows to read.
        assert page(Statement.objects.filter(pk=-1).order_by("pk")[:25]) == []


def test_a_pages_queries_are_written_once_whatever_its_ids(world, django_assert_num_queries):
    """The ids go into a page's queries as one array: the same SQL for every page, written by the ORM once."""
    rows_written.cache_clear()
    list_written.cache_clear()
    pages = [page(Statement.objects.order_by("pk")[:size], lists=["topics", "sources"]) for size in (1, 2, 25)]
    assert [len(shown) for shown in pages] == [1, 2, Statement.objects.count()]
    assert (rows_written.cache_info().misses, rows_written.cache_info().hits) == (1, 2)
    assert (list_written.cache_info().misses, list_written.cache_info().hits) == (2, 4)
    with django_assert_num_queries(2):  # Written already: the ids; the rows, the topics, the sources.
        assert page(Statement.objects.order_by("-pk")[:25], lists=["topics", "sources"])[0].pk == pages[2][-1].pk


def test_a_searchs_headlines_are_written_once_for_every_search_and_mark_its_words(world):
    """The search's words are parameters of the rows' query: one SQL for every search, one for those with Korean
    words (whose written forms are marked too)."""
    rows_written.cache_clear()
    statements = Statement.objects.order_by("pk")[:25]
    marked = {}
    for words in ["alliance", "strengthen", "북한은", "동맹"]:
        marked[words] = [row.row["headline"] for row in page(statements, lists=[], words=words)]
    assert (rows_written.cache_info().misses, rows_written.cache_info().hits) == (2, 2)
    assert f"{START}alliance{STOP}" in " ".join(marked["alliance"])
    assert (
        f"{START}strengthened{STOP}" in " ".join(marked["strengthen"])
        and f"{START}alliance" not in marked["strengthen"][0]
    )
    assert START not in " ".join(marked["동맹"])  # No Korean statement here: nothing marked.


def test_a_pages_queries_are_prepared_once_a_connection_then_executed_by_name(world, monkeypatch):
    """Planning a page's rows cost PostgreSQL more than reading them: each connection prepares its queries the first
    time it reads them, then executes them by name (statements.present.Written)."""
    statements = Statement.objects.order_by("pk")[:25]

    def sent(**options):
        with CaptureQueriesContext(connection) as captured:
            shown = page(statements, lists=["topics", "sources"], **options)
        return [(item.pk, item.speaker, item.topics, item.sources, item.row.get("headline")) for item in shown], [
            query["sql"] for query in captured if query["sql"].startswith(("PREPARE", "EXECUTE"))
        ]

    with connection.cursor() as cursor:  # This connection as a new one: nothing prepared.
        cursor.execute("DEALLOCATE ALL")
    present._prepared.pop(connection.connection, None)
    first, [message] = sent()
    assert message.count("PREPARE ") == 3 and message.count("EXECUTE ") == 3
    again, [message] = sent()
    assert again == first and "PREPARE" not in message and message.count("EXECUTE ") == 3
    # As the ORM reads them.
    instances = Statement.objects.with_related().order_by("pk")
    assert first == [(s.pk, s.speaker, s.topics, s.sources, None) for s in map(Shown.of, instances)]

    # A PREPARE outlives the transaction that sent it, even one rolled back: not sent again.
    with pytest.raises(RuntimeError), transaction.atomic():
        searched, [message] = sent(words="alliance")
        assert message.count("PREPARE ") == 1 and f"{START}alliance{STOP}" in searched[0][-1]
        raise RuntimeError("rolled back")
    assert sent(words="alliance") == (searched, [message.split("; ", 1)[1]])

    # Another connection prepares them on its own.
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    monkeypatch.setattr(present, "reading", lambda: other)
    try:
        with CaptureQueriesContext(other) as captured:
            page(statements, lists=["topics", "sources"])  # Not its rows: the test's transaction is not committed.
        assert captured[-1]["sql"].count("PREPARE ") == 3
        with other.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone() == (3,)
    finally:
        other.close()


def test_a_page_read_that_failed_leaves_the_connection_reading_pages(world):
    """Whether a failed message's PREPAREs ran is the server's to say: the connection asks it before its next read.
    Here the message is sent in a transaction that an error aborted, so none ran."""
    statements = Statement.objects.order_by("pk")[:25]
    with connection.cursor() as cursor:  # This connection as a new one: nothing prepared.
        cursor.execute("DEALLOCATE ALL")
    present._prepared.pop(connection.connection, None)
    with transaction.atomic():
        with pytest.raises(DataError), connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
        with pytest.raises(InternalError, match="current transaction is aborted"):
            page(statements, lists=["topics", "sources"])
        transaction.set_rollback(True)
    assert [item.pk for item in page(statements, lists=["topics", "sources"])] == [s.pk for s in statements]
    # And after the server forgot them (DEALLOCATE: a pooler's reset), one read fails, the next prepares them again.
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with transaction.atomic():
        with pytest.raises(ProgrammingError, match="does not exist"):
            page(statements, lists=["topics", "sources"])
        transaction.set_rollback(True)
    assert [item.pk for item in page(statements, lists=["topics", "sources"])] == [s.pk for s in statements]


def test_a_column_read_as_plain_values_needs_no_conversion_by_django(db):
    """What PostgreSQL answers is read as it is: a column that Django would convert (JSON) is refused, not misread."""
    values = Statement.objects.annotate(data=Value({"a": 1}, output_field=JSONField())).values("pk", "data")
    with pytest.raises(ValueError, match="need Django's conversion"):
        written(values)
    assert written(Statement.objects.values("pk", "date"))


def test_statements_found_already_are_read_by_their_ids_in_their_order_those_still_published(
    world, django_assert_num_queries
):
    """A page among the first matches that the counts kept (statements.query.Found) reads no query to find them
    again; one retracted since they were found is left out."""
    ids = list(Statement.objects.published().order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 2
    found = Found(reversed(ids))
    with django_assert_num_queries(1):  # The rows, the topics and the sources: no ids.
        assert [item.pk for item in page(found, lists=["topics", "sources"])] == ids[::-1]
    Statement.objects.filter(pk=ids[0]).update(status=Statement.Status.RETRACTED)
    assert [item.pk for item in page(found, lists=[])] == ids[:0:-1]


def test_a_pages_links_ask_the_script_prefix_once_a_pattern(monkeypatch):
    """A page's links (Links) keep each pattern with the site: address() asks the request's script prefix, a
    thread-local, each time, and a page writes a hundred links."""
    from statements import models

    asked = []
    prefix = models.get_script_prefix
    monkeypatch.setattr(models, "get_script_prefix", lambda: asked.append(1) or prefix())
    links = present.Links("https://diplotrack.example")
    written = [links("topic_detail", slug) for slug in ("a", "b", "c")] + [links("country_detail", "KR")]
    expected = [reverse("topic_detail", args=[slug]) for slug in "abc"] + [reverse("country_detail", args=["KR"])]
    assert written == ["https://diplotrack.example" + address for address in expected]
    assert len(asked) == 2
