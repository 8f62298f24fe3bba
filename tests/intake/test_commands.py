import io

import pytest
from django.core.management import CommandError, call_command

from statements.intake.models import Document, Feed
from tests.intake.helpers import make_feed, release_feed

pytestmark = pytest.mark.django_db


def intake(*args):
    out = io.StringIO()
    call_command("intake", *args, stdout=out)
    return out.getvalue()


def test_add_follows_a_feed_with_its_publisher_made_once():
    out = intake(
        "add",
        "https://www.example.go.kr/eng/list.do",
        "--kind",
        "html",
        "--selector",
        "td.title a",
        "--publisher",
        "Ministry of Unification",
        "--country",
        "kr",
        "--language",
        "en",
        "--document-kind",
        "transcript",
    )
    feed = Feed.objects.get(url="https://www.example.go.kr/eng/list.do")
    assert f"Feed #{feed.pk} added" in out and feed.enabled
    assert (feed.kind, feed.link_selector, feed.country_id, feed.document_kind) == (
        "html",
        "td.title a",
        "KR",
        "transcript",
    )
    assert feed.publisher.name == "Ministry of Unification" and feed.publisher.slug
    intake("add", "https://www.example.go.kr/eng/rss.xml", "--publisher", "ministry of unification", "--country", "KR")
    assert Feed.objects.get(url="https://www.example.go.kr/eng/rss.xml").publisher == feed.publisher


@pytest.mark.parametrize(
    "args, message",
    [
        (["ftp://example.org/feed"], "not a web address"),
        (["https://example.org/list", "--kind", "html"], "--selector"),
        (["https://example.org/feed", "--country", "XX"], "No country with the code 'XX'"),
        (["https://example.org/feed", "--every", "0"], "--every"),
    ],
)
def test_add_refuses_what_it_cannot_follow(args, message):
    with pytest.raises(CommandError, match=message):
        intake("add", *args)
    assert not Feed.objects.filter(url=args[0]).exists()


def test_add_refuses_a_feed_already_followed():
    intake("add", "https://example.org/feed")
    with pytest.raises(CommandError, match="already followed"):
        intake("add", "https://example.org/feed")


def test_run_once_polls_and_prints_a_summary(server):
    make_feed(url=release_feed(server, 2))
    out = intake("run", "--once")
    assert out.strip() == (
        "Polled 1 feed(s), 0 failed; documents: 2 read; "
        f"{sum(d.candidates.count() for d in Document.objects.all())} candidate statement(s) in the inbox; "
        "0 document(s) re-checked."
    )


def test_run_needs_once():
    with pytest.raises(CommandError):
        intake("run")


def test_status_prints_each_feeds_health(server, settings):
    settings.INTAKE_ALERT_FAILURES = 1
    make_feed(url=release_feed(server, 1), name="Good feed")
    make_feed(url=server.url("/missing.xml"), name="Broken feed")
    intake("ship")
    intake("run", "--once")
    out = intake("status")
    assert "[OK] Good feed — last success" in out and "1 document(s)" in out
    assert "[FAILING] Broken feed — last success never, 1 failure(s) in a row" in out and "HTTP 404" in out
    assert "[DISABLED] Korea MOFA: press releases (English)" in out


def test_the_shipped_feeds_are_real_addresses_and_disabled():
    assert intake("ship").startswith("6 shipped feed(s) added, disabled")
    assert intake("ship") == "The shipped feeds are all followed already.\n"
    shipped = Feed.objects.filter(enabled=False)
    assert shipped.count() == 6
    hosts = {feed.host for feed in shipped}
    assert {"www.mofa.go.kr", "www.state.gov", "press.un.org", "www.un.org", "www.mofa.go.jp"} <= hosts
    assert all(feed.url.startswith("https://") for feed in shipped)


def test_demo_adds_the_demo_feed_once():
    assert "added" in intake("demo")
    assert "already" in intake("demo")
    assert Feed.objects.get(url="http://127.0.0.1:8000/intake/demo/feed.xml").poll_interval.total_seconds() == 60
