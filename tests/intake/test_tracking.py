"""Copies of one document, its edits and its removal, and the health of feeds."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from statements.intake import pipeline
from statements.intake.models import Candidate, Document, Feed, ReviewFlag
from statements.models import Statement
from tests.factories import make_curator
from tests.intake import pages
from tests.intake.helpers import make_feed, release_feed

pytestmark = pytest.mark.django_db


def test_the_same_text_at_another_address_is_a_syndicated_copy(server):
    release_feed(server, 1)
    server.page("/mirror/1", pages.kr_release(1))
    items = [("/mirror/1", "Copy", datetime.date(2024, 11, 15), "")]
    server.page("/mirror.xml", pages.rss(server.base, items), content_type="application/rss+xml")
    make_feed(url=server.url("/eng/rss.xml"))
    make_feed(url=server.url("/mirror.xml"), name="A news agency")
    pipeline.run_once()
    original, copy = Document.objects.order_by("id")
    assert copy.status == "copy" and copy.copy_of == original and copy.source is None
    assert not Candidate.objects.filter(document=copy).exists()
    assert copy.raw_bytes  # kept all the same


def test_a_page_naming_a_known_canonical_address_is_a_copy(server):
    canonical = server.url("/eng/brd/view.do?seq=1")
    release_feed(server, 1)
    server.page(
        "/print/1",
        pages.kr_release(1)
        .replace("No. 1", "No. 1 (print)")
        .replace("<title>", f'<link rel="canonical" href="{canonical}"><title>'),
    )
    items = [("/print/1", "Print", datetime.date(2024, 11, 15), "")]
    server.page("/print.xml", pages.rss(server.base, items), content_type="application/rss+xml")
    make_feed(url=server.url("/eng/rss.xml"))
    make_feed(url=server.url("/print.xml"), name="Printable")
    pipeline.run_once()
    assert Document.objects.get(url=server.url("/print/1")).status == "copy"


def test_taking_an_item_twice_gives_one_document_and_one_set_of_candidates(server):
    feed = make_feed(url=release_feed(server, 1))
    items = pipeline.poll(feed)
    first = pipeline.take(feed, items[0])
    # A task run again (a retry after a crash that came after the commit) finds the first run's document.
    again = pipeline.take(feed, items[0])
    assert again.pk == first.pk and Document.objects.count() == 1
    count = Candidate.objects.count()
    pipeline.inbox(first, feed)  # the extraction run again adds nothing
    assert Candidate.objects.count() == count > 0


def rechecked(document, days):
    Document.objects.filter(pk=document.pk).update(next_check_at=timezone.now() - datetime.timedelta(days=days))
    document.refresh_from_db()
    return pipeline.recheck(document)


def test_an_edited_page_becomes_a_new_version_with_a_diff_and_flags_the_words_edited_away(server):
    make_feed(url=release_feed(server, 1))
    pipeline.run_once()
    document = Document.objects.get()
    assert document.next_check_at - document.fetched_at == datetime.timedelta(hours=1)
    candidate = Candidate.objects.filter(document=document, quote__contains="respond firmly").earliest("start")
    statement = candidate.accept()
    server.page("/eng/brd/view.do?seq=1", pages.kr_release(1).replace("respond firmly", "respond calmly"))
    document = rechecked(document, 0)
    assert document.edited_at is not None and document.checks_done == 1
    assert document.next_check_at - document.fetched_at == datetime.timedelta(days=1)
    first, second = document.versions.order_by("number")
    assert ("-", next(line for mark, line in second.diff(first) if mark == "-")) in second.diff(first)
    assert any(mark == "+" and "respond calmly" in line for mark, line in second.diff(first))
    flag = ReviewFlag.objects.get()
    assert flag.statement == statement and "no longer on the publisher's page" in flag.reason
    # Our snapshot is what was cited: it stays.
    assert "respond firmly" in document.source.full_text


def test_a_recheck_asks_conditionally_and_a_304_is_no_change(server):
    make_feed(url=release_feed(server, 1))
    server.page("/eng/brd/view.do?seq=1", pages.kr_release(1), ETag='"r1"', **{"Last-Modified": "Tue, 12 Nov 2024"})
    pipeline.run_once()
    document = Document.objects.get()
    assert (document.etag, document.last_modified) == ('"r1"', "Tue, 12 Nov 2024")
    document = rechecked(document, 0)
    asked = server.hits("/eng/brd/view.do?seq=1")[-1]
    assert (asked.get("If-None-Match"), asked.get("If-Modified-Since")) == ('"r1"', "Tue, 12 Nov 2024")
    assert document.checks_done == 1 and document.edited_at is None and document.versions.count() == 1
    assert document.next_check_at - document.fetched_at == datetime.timedelta(days=1)  # On to the next step.
    # Edited, with a new validator: read, and the new validator kept for the next re-check.
    server.page("/eng/brd/view.do?seq=1", pages.kr_release(1).replace("respond firmly", "respond calmly"), ETag='"r2"')
    document = rechecked(document, 0)
    assert document.edited_at is not None and document.etag == '"r2"' and document.versions.count() == 2


def test_a_page_gone_404_is_marked_removed_with_its_date(server):
    make_feed(url=release_feed(server, 1))
    pipeline.run_once()
    server.remove("/eng/brd/view.do?seq=1")
    document = rechecked(Document.objects.get(), 0)
    assert document.status == "removed" and document.removed_on == timezone.now().date()
    assert document.next_check_at is None


def test_a_redirect_to_the_listing_is_a_removal(server):
    make_feed(url=release_feed(server, 1))
    pipeline.run_once()
    server.page("/eng/brd/list.do", pages.listing([]))
    server.redirect("/eng/brd/view.do?seq=1", "/eng/brd/list.do", status=302)
    document = rechecked(Document.objects.get(), 0)
    assert document.status == "removed" and "Redirected" in document.error


def test_the_public_source_page_says_edited_and_removed(server, client):
    make_feed(url=release_feed(server, 1))
    pipeline.run_once()
    document = Document.objects.get()
    document.candidates.first().accept(publish=True)
    server.page("/eng/brd/view.do?seq=1", pages.kr_release(1).replace("regional and global", "global"))
    rechecked(document, 0)
    page = client.get(document.source.get_absolute_url()).content.decode()
    assert "Edited on the publisher’s site on" in page and "Our copy" in page
    server.remove("/eng/brd/view.do?seq=1")
    rechecked(document, 0)
    page = client.get(document.source.get_absolute_url()).content.decode()
    assert "Removed from the publisher’s site on" in page


def test_a_feed_failing_three_times_turns_red_and_emails_the_curators_once(server, settings):
    settings.INTAKE_ALERT_FAILURES = 3
    make_curator(username="alice", email="alice@example.org")
    feed = make_feed(url=server.url("/gone.xml"))
    for _ in range(2):
        pipeline.run_once()
    assert mail.outbox == []
    pipeline.run_once()
    feed.refresh_from_db()
    assert feed.state(3) == "failing" and feed.consecutive_failures == 3
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.org"]
    assert "HTTP 404" in mail.outbox[0].body
    pipeline.run_once()
    assert len(mail.outbox) == 1
    release_feed(server, 1, path="/gone.xml")
    pipeline.run_once()
    feed.refresh_from_db()
    assert feed.state(3) == "ok" and feed.alerted_at is None


def test_a_feed_may_publish_confident_statements_without_review(server):
    make_feed(url=release_feed(server, 1), auto_publish=True, auto_publish_confidence=0.0)
    pipeline.run_once()
    published = Statement.objects.filter(status=Statement.Status.PUBLISHED)
    assert published.exists()
    reason = published.first().history.earliest().history_change_reason
    assert reason.startswith("Published without review by the intake (feed #")
    assert set(Candidate.objects.values_list("status", flat=True)) == {"published"}


def test_publishing_without_review_is_off_by_default(server):
    feed = make_feed(url=release_feed(server, 1))
    pipeline.run_once()
    assert feed.auto_publish is False and not Statement.objects.exists()
    assert Feed._meta.get_field("auto_publish").default is False
