import datetime

import feedparser
import pytest

from statements.models import Statement
from tests.factories import make_official, make_statement, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    topic = make_topic(name="Peninsula security")
    cho = make_official(name="Cho Tae-yul", country="KR")
    kamikawa = make_official(name="Kamikawa Yoko", country="JP")
    return {
        "korean": make_statement(
            text="The alliance will be strengthened.", official=cho, topics=[topic], date=datetime.date(2024, 11, 12)
        ),
        "japanese": make_statement(
            text="Japan supports the alliance.", official=kamikawa, date=datetime.date(2024, 11, 13)
        ),
        "draft": make_statement(text="Draft words.", official=cho, status=Statement.Status.DRAFT),
    }


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_the_statements_feed_follows_the_explorer_filters(client, world):
    feed = parse(client, "/feeds/statements/?country=KR")
    assert feed.feed.title == "DiploTrack: statements (country=KR)"
    assert [entry.link for entry in feed.entries] == [f"http://testserver{world['korean'].get_absolute_url()}"]
    entry = feed.entries[0]
    assert entry.author == "Cho Tae-yul"
    assert entry.title.startswith("Cho Tae-yul: The alliance will be strengthened.")
    assert entry.published.startswith("2024-11-12")
    assert [tag.term for tag in entry.tags] == ["Peninsula security"]


def test_the_unfiltered_feed_is_newest_first_without_drafts(client, world):
    links = [entry.link for entry in parse(client, "/feeds/statements/").entries]
    assert links == [f"http://testserver{world[name].get_absolute_url()}" for name in ("japanese", "korean")]


def test_official_topic_and_country_pages_have_feeds(client, world):
    assert len(parse(client, "/officials/cho-tae-yul/feed/").entries) == 1
    assert len(parse(client, "/topics/peninsula-security/feed/").entries) == 1
    assert len(parse(client, "/countries/JP/feed/").entries) == 1
    assert len(parse(client, "/countries/jp/feed/").entries) == 1
    assert client.get("/officials/nobody/feed/").status_code == 404


def test_pages_link_to_their_feed(client, world):
    content = client.get("/officials/cho-tae-yul/?q=alliance").content.decode()
    assert 'type="application/atom+xml"' in content
    assert 'href="/officials/cho-tae-yul/feed/?q=alliance"' in content
    assert 'href="/feeds/statements/?country=KR"' in client.get("/statements/?country=KR").content.decode()


def test_bad_filters_in_a_feed_are_ignored_not_errors(client, world):
    assert len(parse(client, "/feeds/statements/?country=XX&date_from=bad&q=%00").entries) == 2
