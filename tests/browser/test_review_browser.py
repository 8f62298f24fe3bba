"""The article review as a curator uses it: an archive's ''…'' quotations said to be left out, then read."""

import pytest

from statements.models import Source
from tests.curation.helpers import ARTICLE
from tests.factories import make_curator

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_an_archive_article_quoted_with_doubled_apostrophes(page, live_server, screenshot):
    make_curator(username="carol", password="a-long-curator-password")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", "a-long-curator-password")
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/statements/source/ingest/")
    page.fill("#id_text", ARTICLE.replace('"', "''"))
    page.fill("#id_publisher", "Yonhap")
    page.click("input[type=submit]")
    assert "Review the quotations of source" in page.title()
    note = page.locator("#doubled_left_out")
    assert "5 more quotations" in note.inner_text()
    assert "No other quotation was found" in page.content()
    screenshot(page, "review-doubled-marks-left-out")

    page.check("#id_doubled_marks")
    page.click("#read_as input[type=submit]")
    assert "doubled_marks=on" in page.url
    assert page.locator("#doubled_left_out").count() == 0
    assert "5 quotations found" in page.locator("#content-main").inner_text()
    assert page.locator("#id_doubled_marks").is_checked()
    screenshot(page, "review-doubled-marks-read")
    assert Source.objects.count() == 1
