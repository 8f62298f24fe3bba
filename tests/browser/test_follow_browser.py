"""In a browser: a statement's Cite box and its quotation in context, its card framed by another site (and the page
itself refused), and an email alert asked for and confirmed with JavaScript off, at desktop and phone widths."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from statements.models import Alert, Statement

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return Statement.objects.filter(official__isnull=False).order_by("pk").first()


def watch_console(page):
    """Errors the page logs (a refused script or style under the CSP is one), and its failed requests but the
    browser's own favicon's."""
    errors = []

    def logged(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def answered(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} {response.url}")

    page.on("console", logged)
    page.on("response", answered)
    return errors


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_cite_box_and_the_quotation_in_context(browser, live_server, demo, screenshot, width):
    context = browser.new_context(**({"viewport": PHONE} if width == "phone" else {}), java_script_enabled=False)
    page = context.new_page()
    errors = watch_console(page)
    page.goto(live_server.url + demo.get_absolute_url())
    cite = page.get_by_role("region", name="Cite")
    expect(cite).to_contain_text("Cho Tae-yul, Minister of Foreign Affairs")
    expect(cite).to_contain_text(f"/statements/{demo.pk}/ (accessed")
    expect(cite.get_by_role("link", name="BibTeX")).to_have_attribute("href", f"/statements/{demo.pk}/cite.bib")
    expect(page.locator(".in-context mark")).to_be_visible()
    assert page.locator(".in-context .source-text p").count() == 3
    box = page.locator(".cite").bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]  # Nothing wider than a phone.
    screenshot(page, f"statement-cite-{width}")
    assert not errors, errors
    context.close()


def test_a_page_may_frame_the_card_and_not_the_statements_page(page, live_server, demo, screenshot):
    embed, detail = f"{live_server.url}/statements/{demo.pk}/embed/", live_server.url + demo.get_absolute_url()
    html = (
        f'<!doctype html><h1>A blog</h1><iframe id="card" src="{embed}" width="500" height="280"></iframe>'
        f'<iframe id="page" src="{detail}" width="500" height="280"></iframe>'
    )
    # A page of the live server's own origin (this Chromium loads no frame of localhost into another origin's
    # page): X-Frame-Options DENY and frame-ancestors 'none' refuse the same origin too, so the two frames still
    # tell the card, which may be framed, from the page, which may not.
    blog = live_server.url + "/a-blog/"
    page.route(blog, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(blog)
    card = page.frame_locator("#card")
    expect(card.locator("blockquote")).to_contain_text("alliance")
    expect(card.get_by_role("link", name="Cho Tae-yul")).to_have_attribute("target", "_blank")
    framed = {frame.url for frame in page.frames}
    assert embed in framed and detail not in framed  # The refused frame shows the browser's error page.
    page.wait_for_timeout(500)
    refused = page.frame_locator("#page").locator("text=Cite")
    expect(refused).to_have_count(0)  # X-Frame-Options: DENY, frame-ancestors 'none'.
    screenshot(page, "embed-framed")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_alert_asked_for_and_confirmed_without_javascript(browser, live_server, demo, screenshot, width, settings):
    settings.SITE_URL = live_server.url  # The links in emails and on the alerts' pages.
    context = browser.new_context(**({"viewport": PHONE} if width == "phone" else {}), java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/statements/?country=KR")
    page.get_by_text("Email me new statements like these").click()
    page.get_by_label("Email address").fill("reader@example.com")
    page.get_by_label("How often").select_option("daily")
    screenshot(page, f"alert-form-{width}")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    [confirmation] = mail.outbox
    path = re.search(r"https?://[^/]+(/alerts/confirm/\S+/)", confirmation.body).group(1)
    page.goto(live_server.url + path)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Alert confirmed")).to_be_visible()
    screenshot(page, f"alert-confirmed-{width}")
    alert = Alert.objects.get()
    assert (alert.query, alert.frequency, alert.confirmed_at is not None) == ("country=KR", "daily", True)
    page.get_by_role("link", name="Your alerts").click()
    expect(page.get_by_role("heading", name="Alerts for reader@example.com")).to_be_visible()
    page.get_by_role("button", name="Cancel this alert").click()
    expect(page.get_by_role("status")).to_contain_text("Cancelled: country=KR.")
    assert not Alert.objects.exists()
    context.close()
