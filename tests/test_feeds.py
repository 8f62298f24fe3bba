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
    assert [entry.link for entry in feed.entries] == [f"http://testserver/statements/{world['korean'].pk}/"]
    entry = feed.entries[0]
    assert entry.author == "Cho Tae-yul"
    assert entry.title.startswith("Cho Tae-yul: The alliance will be strengthened.")
    assert entry.published.startswith("2024-11-12")
    assert [tag.term for tag in entry.tags] == ["Peninsula security"]


def test_the_unfiltered_feed_is_newest_first_without_drafts(client, world):
    links = [entry.link for entry in parse(client, "/feeds/statements/").entries]
    assert links == [f"http://testserver/statements/{world[name].pk}/" for name in ("japanese", "korean")]


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


@pytest.mark.parametrize("url", ["/feeds/statements/", "/statements/export.csv", "/api/statements/"])
def test_a_mistyped_parameter_name_is_refused_not_ignored(client, world, url):
    response = client.get(f"{url}?contry=KR")
    assert response.status_code == 400
    assert "contry" in response.content.decode() and "not a parameter: use q, country" in response.content.decode()
    assert client.get(f"{url}?country=KR&page=1").status_code == 200


@pytest.mark.parametrize("url", ["/feeds/statements/", "/statements/export.csv", "/officials/cho-tae-yul/feed/"])
def test_a_feed_or_export_with_a_filter_it_cannot_use_is_refused_with_the_reasons(client, world, url):
    # A feed reader shows no notes: everything, for a mistyped filter, would mislead.
    response = client.get(f"{url}?country=XX&date_from=10/25/2024&kind=direct")
    assert response.status_code == 400
    text = response.content.decode()
    assert "country=XX: there is no such country" in text
    assert "date_from=10/25/2024: not a date: use YYYY-MM-DD" in text
    assert "kind=" not in text


def test_the_explorer_links_its_feed_and_data_with_the_filters_it_applied(client, world):
    content = client.get("/statements/?country=KR&country=XX&date_from=bad&q=alliance&official=cho+tae+yul").content
    content = content.decode()
    applied = "q=alliance&amp;country=KR&amp;official=cho-tae-yul"  # In the FilterSet's order.
    assert f'href="/feeds/statements/?{applied}"' in content
    assert f'href="/statements/export.csv?{applied}"' in content
    assert client.get(f"/feeds/statements/?{applied.replace('&amp;', '&')}").status_code == 200
    # A page's own filter is its feed's path, and stays out of the feed's query.
    content = client.get("/countries/KR/?q=alliance").content.decode()
    assert 'href="/countries/KR/feed/?q=alliance"' in content
    assert (
        'href="/statements/export.csv?q=alliance&amp;country=KR"' in content or "country=KR&amp;q=alliance" in content
    )


def test_the_feed_title_shows_the_filters_as_typed(client, world):
    assert parse(client, "/feeds/statements/?q=%22the+alliance%22").feed.title == (
        'DiploTrack: statements (q="the alliance")'
    )
    assert (
        parse(client, "/feeds/statements/?q=the%1B%07alliance").feed.title == "DiploTrack: statements (q=thealliance)"
    )


def test_an_entry_keeps_its_id_when_the_words_are_corrected(client, world):
    before = parse(client, "/feeds/statements/?country=KR").entries[0].id
    statement = world["korean"]
    statement.text = "The alliance will be strengthened further."
    statement.save()
    entry = parse(client, "/feeds/statements/?country=KR").entries[0]
    assert entry.id == before and entry.summary == "The alliance will be strengthened further."


def test_words_that_look_like_markup_stay_words(client, world):
    statement = world["korean"]
    statement.text = "Sanctions <b>now</b> & later."
    statement.save()
    entry = parse(client, "/feeds/statements/?country=KR").entries[0]
    # The summary is HTML: a reader shows the tags as written, not as bold.
    assert (entry.summary_detail.type, entry.summary) == ("text/html", "Sanctions &lt;b&gt;now&lt;/b&gt; &amp; later.")


def test_a_merged_officials_feed_goes_on_with_the_person(client, world):
    duplicate = make_official(name="Cho Taeyul", country="KR")
    duplicate.merge_into(world["korean"].official)
    assert len(parse(client, f"/officials/{duplicate.slug}/feed/").entries) == 1


def test_the_feed_follows_the_sort_and_keeps_to_its_own_filter(client, world):
    oldest_first = [entry.link for entry in parse(client, "/feeds/statements/?sort=date").entries]
    assert oldest_first == [f"http://testserver/statements/{world[name].pk}/" for name in ("korean", "japanese")]
    assert len(parse(client, "/countries/KR/feed/?country=kr").entries) == 1
    response = client.get("/countries/KR/feed/?country=JP")
    assert (
        response.status_code == 400 and "country=JP: this feed keeps to its own country" in response.content.decode()
    )
