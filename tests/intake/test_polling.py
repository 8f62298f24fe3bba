import pytest

from statements.intake import fetch, pipeline
from statements.intake.fetch import FetchError
from statements.intake.models import Candidate, Document, Feed
from tests.intake import pages
from tests.intake.helpers import make_feed, release_feed

pytestmark = pytest.mark.django_db


def test_it_reads_a_feeds_documents_into_the_inbox(server):
    feed = make_feed(url=release_feed(server, 3))
    summary = pipeline.run_once()
    assert summary.polled == 1 and summary.documents == {"read": 3}
    documents = Document.objects.order_by("id")
    assert [document.status for document in documents] == ["read"] * 3
    first = documents[0]
    assert first.source.full_text.startswith("Outcome of Korea-Japan Foreign Ministers' Meeting No. 1")
    assert "Home" not in first.text and "Copyright" not in first.text
    assert first.raw_bytes.startswith(b"<!DOCTYPE html>")
    assert first.versions.count() == 1
    candidates = Candidate.objects.filter(document=first)
    assert any("respond firmly" in candidate.quote for candidate in candidates)
    feed.refresh_from_db()
    assert feed.documents_seen == 3 and feed.consecutive_failures == 0 and feed.last_success_at


def test_it_sends_our_user_agent_with_a_contact_address(server, settings):
    make_feed(url=release_feed(server, 1))
    pipeline.run_once()
    agent = server.hits("/eng/rss.xml")[0]["User-Agent"]
    assert agent == settings.INTAKE_USER_AGENT and "mailto:" in agent


def test_a_second_poll_asks_conditionally_and_takes_nothing_twice(server):
    release_feed(server, 2, ETag='"v1"')
    make_feed(url=server.url("/eng/rss.xml"))
    pipeline.run_once()
    again = pipeline.run_once()
    assert server.hits("/eng/rss.xml")[1].get("If-None-Match") == '"v1"'
    assert again.documents == {} and Document.objects.count() == 2
    assert len(server.hits("/eng/brd/view.do?seq=1")) == 1


def test_last_modified_is_sent_back_too(server):
    release_feed(server, 1, **{"Last-Modified": "Fri, 15 Nov 2024 09:00:00 GMT"})
    make_feed(url=server.url("/eng/rss.xml"))
    pipeline.run_once()
    pipeline.run_once()
    assert server.hits("/eng/rss.xml")[1].get("If-Modified-Since") == "Fri, 15 Nov 2024 09:00:00 GMT"


def test_robots_txt_is_obeyed(server):
    server.page("/robots.txt", "User-agent: *\nDisallow: /eng/brd/\n", content_type="text/plain")
    feed = make_feed(url=release_feed(server, 1))
    pipeline.run_once()
    document = Document.objects.get()
    assert document.status == "failed" and "robots.txt" in document.error
    assert server.hits("/eng/brd/view.do?seq=1") == []
    feed.refresh_from_db()
    assert "robots.txt" in feed.last_error


@pytest.mark.parametrize(
    "kind, body, selector",
    [
        ("html", "listing", "div.board_list td.title a"),
        ("sitemap", "sitemap", ""),
        ("api", "api", ""),
    ],
)
def test_listings_of_every_kind_are_read(server, kind, body, selector):
    paths = [f"/press/{n}.html" for n in range(1, 4)]
    for n, path in enumerate(paths, 1):
        server.page(path, pages.jp_conference(n))
    if body == "listing":
        server.page("/list", pages.listing(paths))
    elif body == "sitemap":
        server.page("/list", pages.sitemap(server.base, paths), content_type="application/xml")
    else:
        import json

        data = {
            "response": {
                "body": {
                    "items": [
                        {"seq": n, "title": f"Item {n}", "link": path, "regDate": "2024-11-15"}
                        for n, path in enumerate(paths, 1)
                    ]
                }
            }
        }
        server.page("/list", json.dumps(data), content_type="application/json")
    make_feed(
        url=server.url("/list"),
        kind=kind,
        link_selector=selector,
        country="JP",
        document_kind=Feed.DocumentKind.TRANSCRIPT,
    )
    summary = pipeline.run_once()
    assert summary.documents == {"read": 3}
    assert Candidate.objects.filter(speaker__icontains="Iwaya").exists()


def test_addresses_on_this_machine_are_refused_unless_allowed(server, settings):
    settings.INTAKE_PRIVATE_ADDRESSES = False
    feed = make_feed(url=release_feed(server, 1))
    pipeline.run_once()
    feed.refresh_from_db()
    assert "is a private address (127.0.0.1): refused" in feed.last_error
    assert server.requests == []


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://[::1]/"])
def test_link_local_private_and_loopback_addresses_are_refused(settings, url):
    settings.INTAKE_PRIVATE_ADDRESSES = False
    with pytest.raises(FetchError, match="private address"):
        fetch.fetch(url)
