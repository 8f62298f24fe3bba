"""The intake's admin pages and the public source page as a curator and a reader see them (screenshots)."""

import pytest

from statements.intake import pipeline, shipped
from statements.intake.models import Candidate, Document
from tests.factories import make_curator
from tests.intake.conftest import server  # noqa: F401 - the fixture server
from tests.intake.helpers import make_feed, release_feed

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def log_in(page, live_server):
    make_curator(username="carol", password="a-long-curator-password")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", "a-long-curator-password")
    page.click("input[type=submit]")


def test_the_inbox_feeds_and_a_documents_changes(page, live_server, server, screenshot, settings):  # noqa: F811
    settings.INTAKE_ALERT_FAILURES = 1
    make_feed(url=release_feed(server, 3), name="Korea MOFA (fixture): press releases")
    make_feed(url=server.url("/gone.xml"), name="A broken feed")
    shipped.ship()
    pipeline.run_once()
    document = Document.objects.order_by("id").first()
    document.candidates.order_by("start").first().accept(publish=True)
    body = server.routes["/eng/brd/view.do?seq=1"][2].decode().replace("respond firmly", "respond calmly")
    server.page("/eng/brd/view.do?seq=1", body)
    pipeline.recheck(document)
    log_in(page, live_server)

    page.goto(f"{live_server.url}/admin/statements/candidate/?status__exact=pending")
    assert page.locator("#result_list tbody tr").count() == Candidate.objects.filter(status="pending").count()
    screenshot(page, "intake-inbox")
    page.locator("#result_list a", has_text="Review the document").first.click()
    assert "Review the quotations of source" in page.title()

    page.goto(f"{live_server.url}/admin/statements/feed/")
    failing = page.locator(".intake-state-failing")
    assert failing.count() == 1
    assert failing.evaluate("node => getComputedStyle(node).backgroundColor") == "rgb(186, 33, 33)"
    screenshot(page, "intake-feeds")

    page.goto(f"{live_server.url}/admin/statements/document/{document.pk}/change/")
    assert page.locator(".intake-diff-add", has_text="respond calmly").count() == 1
    screenshot(page, "intake-document-diff")

    page.goto(f"{live_server.url}{document.source.get_absolute_url()}")
    assert page.locator(".notice", has_text="Edited on the publisher’s site on").count() == 1
    screenshot(page, "intake-source-page")
