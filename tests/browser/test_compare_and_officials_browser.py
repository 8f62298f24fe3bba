import datetime
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from statements import photos
from statements.models import Photo
from tests.browser.test_explorer_browser import demo  # noqa: F401 (a fixture)
from tests.factories import make_official, make_position, make_statement

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_compare_from_the_explorer_at_desk_and_phone_width(browser, live_server, demo, screenshot):  # noqa: F811
    errors = []
    for width, name in [(1280, "compare"), (390, "compare-phone")]:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if "Security Policy" in message.text else None)
        page.goto(live_server.url + "/?country=JP&country=KR")
        page.get_by_role("link", name="Compare these countries side by side").click()
        page.wait_for_url("**/compare/?a=country:JP&b=country:KR**")
        expect(page.locator(".compare-column h2")).to_have_text(["Japan", "South Korea"])
        expect(page.locator(".timeline-chart")).to_be_visible()
        expect(page.locator(".legend li")).to_have_text(["Japan", "South Korea"])
        expect(page.locator(".compare-column").first.locator(".statement-card").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, name)
        context.close()
    assert not errors


def test_compare_works_without_javascript(browser, live_server, demo, screenshot):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/compare/")
    expect(page.locator(".empty")).to_contain_text("Choose at least two columns")
    page.get_by_label("Column A").fill("country:Japan")
    page.get_by_label("Column B").fill("q:alliance")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".compare-column h2")).to_have_text(["Japan", "“alliance”"])
    page.get_by_text("The numbers").click()
    expect(page.locator(".timeline-numbers thead th").nth(1)).to_have_text("Japan")
    expect(page.locator(".timeline-numbers thead th").nth(2)).to_have_text("“alliance”")
    screenshot(page, "compare-no-javascript-phone")
    context.close()


def test_an_official_with_a_photo_and_roles(browser, live_server, screenshot):
    official = make_official(name="Cho Tae-yul")
    make_position(official=official, role="Minister of Foreign Affairs", start_date=datetime.date(2023, 12, 29))
    make_position(
        official=official,
        role="Ambassador to the UN",
        start_date=datetime.date(2019, 5, 1),
        end_date=datetime.date(2022, 8, 31),
    )
    for year in range(2020, 2025):
        make_statement(text=f"Statement of {year}.", official=official, date=datetime.date(year, 6, 1))
    output = io.BytesIO()
    Image.new("RGB", (480, 600), (40, 90, 150)).save(output, "JPEG")
    image = photos.prepared(output.getvalue())
    Photo.objects.create(
        official=official,
        image=image.data,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        digest=image.digest,
        credit="Photo: a test",
        license="CC0",
    )
    for width, name, script in [(1280, "official-photo", True), (390, "official-photo-phone-no-javascript", False)]:
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=script)
        page = context.new_page()
        page.goto(live_server.url + official.get_absolute_url())
        photo = page.get_by_role("img", name="Cho Tae-yul")
        expect(photo).to_be_visible()
        assert page.evaluate("document.querySelector('.official-photo img').naturalWidth") == 480
        expect(page.locator(".official-photo figcaption")).to_contain_text("Photo: a test · CC0")
        expect(page.locator(".timeline-chart .lane")).to_have_count(2)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # Nothing off the side.
        screenshot(page, name)
        context.close()
