"""Whatever a server sends, the intake goes on: each failure is recorded on its document and feed, with what came."""

import datetime
import io

import pytest
from pypdf import PdfWriter

from statements.intake import pipeline
from statements.intake.models import Document, Feed
from tests.intake import pages
from tests.intake.helpers import make_feed, release_feed
from tests.intake.server import huge, slow

pytestmark = pytest.mark.django_db


def one_item_feed(server, path="/doc"):
    server.page(
        "/rss.xml",
        pages.rss(server.base, [(path, "Item", datetime.date(2024, 11, 15), "")]),
        content_type="application/rss+xml",
    )
    return make_feed(url=server.url("/rss.xml"))


def test_malformed_xml_fails_the_poll_and_says_why(server):
    server.page("/rss.xml", "<rss><channel><item><title>Unclosed", content_type="application/rss+xml")
    feed = make_feed(url=server.url("/rss.xml"), kind=Feed.Kind.SITEMAP)
    summary = pipeline.run_once()
    feed.refresh_from_db()
    assert summary.failed_polls == 1
    assert feed.consecutive_failures == 1 and "Malformed XML" in feed.last_error


def test_a_page_with_no_text_is_kept_raw_and_marked_empty(server):
    one_item_feed(server)
    server.page("/doc", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    pipeline.run_once()
    document = Document.objects.get()
    assert document.status == "empty" and "No text" in document.error
    assert b"<nav>" in document.raw_bytes
    assert document.feed.last_error.endswith("No text found on the page.")


def test_a_50_mb_response_is_cut_at_the_limit_and_its_start_kept(server, settings):
    settings.INTAKE_MAX_BYTES = 1024 * 1024
    one_item_feed(server)
    server.handle("/doc", huge)
    pipeline.run_once()
    document = Document.objects.get()
    assert document.status == "failed" and "more than the 1,048,576 bytes" in document.error
    assert len(document.raw_bytes) == 1024 * 1024


def test_a_declared_length_over_the_limit_is_refused_before_reading(server, settings):
    settings.INTAKE_MAX_BYTES = 800  # the feed is less, the page more
    one_item_feed(server)
    server.page("/doc", pages.kr_release())
    pipeline.run_once()
    assert "more than the 800 allowed" in Document.objects.get().error


def test_a_redirect_loop_is_a_failure(server):
    one_item_feed(server)
    server.redirect("/doc", "/doc2")
    server.redirect("/doc2", "/doc")
    pipeline.run_once()
    assert "Too many redirects" in Document.objects.get().error


def test_a_server_sending_a_byte_a_second_is_cut_off_at_the_deadline(server, settings):
    one_item_feed(server)
    server.handle("/doc", slow)
    started = datetime.datetime.now()
    pipeline.run_once()
    assert (datetime.datetime.now() - started).total_seconds() < settings.INTAKE_DEADLINE + 3
    document = Document.objects.get()
    assert document.status == "failed" and "took longer than" in document.error
    assert document.raw_bytes.startswith(b"x")


def test_a_page_that_lies_about_its_charset_is_still_read(server):
    one_item_feed(server)
    text = pages.kr_release().replace("Seoul", "Séoul, 서울").replace('charset="utf-8"', 'charset="iso-8859-1"')
    server.page("/doc", text.encode(), content_type="text/html; charset=iso-8859-1")
    pipeline.run_once()
    document = Document.objects.get()
    assert document.status == "read" and "Séoul, 서울" in document.text


def test_a_page_in_another_encoding_is_decoded(server):
    one_item_feed(server)
    text = pages.page("Déclaration", ["Le ministre a déclaré que la coopération était essentielle." * 3], lang="fr")
    server.page("/doc", text.replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252"))
    pipeline.run_once()
    document = Document.objects.get()
    assert "déclaré" in document.text and document.language == "fr"


def test_duplicate_guids_give_one_document(server):
    server.page("/doc", pages.kr_release())
    server.page("/doc-again", pages.kr_release(2))
    items = [
        ("/doc", "One", datetime.date(2024, 11, 15), "same"),
        ("/doc-again", "Two", datetime.date(2024, 11, 15), "same"),
    ]
    server.page("/rss.xml", pages.rss(server.base, items), content_type="application/rss+xml")
    make_feed(url=server.url("/rss.xml"))
    pipeline.run_once()
    pipeline.run_once()
    assert Document.objects.count() == 1


@pytest.mark.parametrize("date", ["2999-01-01", "1970-01-01"])
def test_dates_in_the_future_or_at_the_epoch_are_left_out(server, date):
    one_item_feed(server)
    server.page("/doc", pages.page("A statement", ["The Minister said the talks went well. " * 5], date=date))
    pipeline.run_once()
    document = Document.objects.get()
    assert document.status == "read"
    # The page's date is not taken: the feed's date of the item is.
    assert document.published_on == datetime.date(2024, 11, 15)


def test_a_feed_listing_10000_items_gives_them_a_few_hundred_a_poll(server, settings):
    settings.INTAKE_MAX_ITEMS = 40
    items = [(f"/doc/{n}", f"Item {n}", datetime.date(2024, 11, 15), "") for n in range(10_000)]
    server.page("/rss.xml", pages.rss(server.base, items), content_type="application/rss+xml")
    for n in range(100):
        server.page(f"/doc/{n}", pages.kr_release(n))
    make_feed(url=server.url("/rss.xml"))
    first = pipeline.run_once()
    assert sum(first.documents.values()) == 40
    second = pipeline.run_once()
    assert sum(second.documents.values()) == 40
    urls = list(Document.objects.order_by("id").values_list("url", flat=True))
    assert urls == [server.url(f"/doc/{n}") for n in range(80)]


def test_a_page_changing_on_every_fetch_in_its_chrome_is_one_version(server):
    one_item_feed(server)
    counter = iter(range(1000))

    def changing(handler):
        body = pages.kr_release().replace("Site map", f"Site map · served at {next(counter)} · ad {next(counter)}")
        handler.reply(200, {"Content-Type": "text/html"}, body.encode())

    server.handle("/doc", changing)
    pipeline.run_once()
    document = Document.objects.get()
    pipeline.recheck(document)
    document.refresh_from_db()
    assert document.versions.count() == 1 and document.edited_at is None


def test_a_pdf_is_read_by_its_text_layer(server):
    one_item_feed(server)
    lines = [
        "Statement attributable to the Spokesperson for the Secretary-General",
        '"The Secretary-General calls on all parties to return to the negotiating table," the Spokesperson said.',
    ]
    server.page("/doc", pages.text_pdf(lines, title="SG statement"), content_type="application/pdf")
    pipeline.run_once()
    document = Document.objects.get()
    assert document.status == "read" and document.title == "SG statement"
    assert "return to the negotiating table" in document.source.full_text
    assert document.candidates.filter(quote__contains="negotiating table").exists()


def test_a_pdf_without_a_text_layer_is_empty(server):
    one_item_feed(server)
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    server.page("/doc", buffer.getvalue(), content_type="application/pdf")
    pipeline.run_once()
    document = Document.objects.get()
    assert document.status == "empty" and "no text layer" in document.error


def test_a_server_error_is_recorded_and_retried_on_the_next_poll(server):
    one_item_feed(server)
    server.page("/doc", "busy", status=503)
    pipeline.run_once()
    assert Document.objects.get().status == "failed", Document.objects.get().error
    server.page("/doc", pages.kr_release())
    pipeline.run_once()
    document = Document.objects.get()
    assert document.status == "read" and document.attempts == 2, (document.error, document.attempts, server.requests)


def test_garbage_instead_of_a_page_never_stops_the_run(server):
    one_item_feed(server)
    server.page("/doc", bytes(range(256)) * 50, content_type="text/html")
    release_feed(server, 1, path="/other.xml")
    make_feed(url=server.url("/other.xml"))
    summary = pipeline.run_once()
    assert summary.documents.get("read") == 1 and sum(summary.documents.values()) == 2
