import datetime
import io

import feedparser
import pytest
from django.core.management import call_command
from django.db import connection

from statements.models import Official, Statement, Topic
from tests.factories import drop_text_checks, make_official, make_statement, make_topic
from tests.shared import UNGDC, need

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


def test_text_that_xml_cannot_carry_is_dropped_from_every_part_of_an_entry(client, world):
    statement, topic = world["korean"], world["korean"].topics.get()
    # Written past the models, as by a path that forgot to normalise: the feed must hold on its own.
    drop_text_checks()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE statements_statement SET text = %s WHERE id = %s", ["A\x0cB\x1bC\ufffeD", statement.pk])
        cursor.execute(
            "UPDATE statements_official SET name = %s WHERE id = %s", ["Cho\x0b Tae-yul", statement.official_id]
        )
        cursor.execute("UPDATE statements_topic SET name = %s WHERE id = %s", ["Peninsula\x01 security", topic.pk])
    entry = parse(client, "/feeds/statements/?country=KR").entries[0]
    assert (entry.title, entry.summary, entry.author) == ("Cho Tae-yul: A BCD", "ABCD", "Cho Tae-yul")
    assert [tag.term for tag in entry.tags] == ["Peninsula security"]


@pytest.mark.slow
def test_every_feed_of_real_un_speeches_with_page_breaks_is_valid_atom(client):
    """Session 68 (2013) of the UN General Debate Corpus: 192 of its 193 speeches hold form feeds (U+000C)."""
    archive = need(UNGDC / "UNGDC_1946-2013.tgz", "The UN General Debate Corpus")
    out = io.StringIO()
    call_command("import_ungdc", str(archive), "--since", "2013", "--until", "2013", stdout=out, stderr=io.StringIO())
    assert "imported: 193" in out.getvalue()
    speeches = Statement.objects.filter(external_id__endswith=":2013")
    assert not speeches.filter(text__regex=r"[\x01-\x08\x0B-\x1F\x7F-\x9F]").exists()
    # A page break is a line break: "...eradicate disease to \n\n\n\x0c\neducating children..." in the file.
    assert "eradicate disease to \n\n\n\n\neducating children" in speeches.get(external_id="ungdc:USA:2013").text

    countries = [f"/countries/{code}/feed/" for code in speeches.values_list("country", flat=True).distinct()]
    assert sum(len(parse(client, url).entries) for url in countries) == 193  # Each speech in its country's feed.
    officials = Official.objects.filter(statements__in=speeches).values_list("slug", flat=True)
    topics = Topic.objects.filter(statements__in=speeches).distinct().values_list("slug", flat=True)[:5]
    views = ["/feeds/statements/", "/feeds/statements/?sort=date", "/feeds/statements/?date_to=2015-12-31"]
    views += ["/feeds/statements/?date_from=2013-01-01&date_to=2013-12-31&sort=date", "/feeds/statements/?lang=en"]
    views += ["/feeds/statements/?q=development&date_to=2015-12-31", "/feeds/statements/?kind=speech&mentions=SY"]
    for url in [*(f"/officials/{slug}/feed/" for slug in officials), *(f"/topics/{slug}/feed/" for slug in topics)]:
        assert parse(client, url).entries, url
    for url in views:
        assert len(parse(client, url).entries) >= 10, url
