import datetime
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import make_official, make_statement

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    kamikawa = make_official(name="Kamikawa Yoko", country="JP")
    for day in range(1, 31):
        make_statement(
            text=f"Japan will keep working with its partners, statement {day}.",
            official=kamikawa,
            date=datetime.date(2024, 3, day),
        )


def result_count(page):
    return page.locator(".result-count strong")


def test_filtering_updates_results_and_url_without_a_reload(page, live_server, demo, screenshot):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Skip the filters, to the results")).to_be_hidden()  # Side by side.
    page.get_by_text("More filters").click()
    panel, date_to = page.locator("#explorer-form").bounding_box(), page.locator("#id_date_to").bounding_box()
    assert date_to["x"] + date_to["width"] <= panel["x"] + panel["width"]  # The dates fit the narrow panel.
    page.get_by_text("More filters").click()
    expect(result_count(page)).to_have_text("44")
    page.evaluate("window.notReloaded = true")

    page.get_by_label("South Korea").check()
    page.wait_for_url("**/?country=KR**")
    expect(result_count(page)).to_have_text("14")

    page.get_by_label("Alliance with the United States").check()
    page.wait_for_url("**topic=us-alliance**")
    expect(result_count(page)).to_have_text("7")

    page.get_by_label("Search words").fill("alliance")
    page.wait_for_url("**q=alliance**")
    expect(result_count(page)).to_have_text("3")
    expect(page.locator("mark").first).to_have_text("alliances")
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "explorer-search")

    page.go_back()
    page.wait_for_url(lambda url: "q=alliance" not in url)
    expect(result_count(page)).to_have_text("7")
    expect(page.get_by_label("Alliance with the United States")).to_be_checked()
    page.go_back()
    expect(result_count(page)).to_have_text("14")


def test_pagination_and_the_statement_page(page, live_server, demo, screenshot):
    page.goto(live_server.url + "/statements/?country=JP")
    expect(result_count(page)).to_have_text("30")
    screenshot(page, "explorer")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2**")
    expect(page.locator(".pagination span")).to_have_text("Page 2 of 2")
    expect(page.locator(".statement-list > li")).to_have_count(5)

    page.goto(live_server.url + "/?country=KR&q=China")
    page.get_by_role("link", name="Statement page").first.click()
    expect(page.locator("h1")).to_contain_text("senior Foreign Ministry official")
    expect(page.locator(".words.full")).to_contain_text("China has never explicitly taken further steps")
    screenshot(page, "statement")


def test_the_explorer_works_with_javascript_off(browser, live_server, demo, screenshot):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("South Korea").check()
    page.get_by_label("Search words").fill("denuclearization")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**country=KR**")
    assert "q=denuclearization" in page.url
    expect(result_count(page)).to_have_text("2")
    page.goto(live_server.url + "/?country=JP")
    page.get_by_role("link", name="Next →").click()
    expect(page.locator(".pagination span")).to_have_text("Page 2 of 2")
    screenshot(page, "explorer-no-javascript-phone")
    # On a phone the filters come first, with a way past them.
    page.get_by_role("link", name="Skip the filters, to the results").click()
    assert page.url.endswith("#results")
    assert page.evaluate("document.querySelector('#results').getBoundingClientRect().top") < 50
    context.close()


def test_the_timeline_loads_after_the_results_and_its_bars_narrow_the_dates(browser, live_server, demo, screenshot):
    errors = []
    for width, name in [(1280, "timeline"), (390, "timeline-phone")]:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if "Security Policy" in message.text else None)
        page.goto(live_server.url + "/?country=JP&country=KR")
        expect(page.locator(".timeline-chart")).to_be_visible()  # Loaded by htmx into its placeholder.
        expect(page.locator(".legend li")).to_have_text(["Japan", "South Korea"])
        screenshot(page, name)
        context.close()
    assert not errors  # No script, no style that the Content Security Policy refuses.

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server.url + "/?country=JP")
    page.locator(".timeline-chart a").last.click()  # March 2024, the weeks of its 30 statements.
    page.wait_for_url("**date_from=**")
    assert "country=JP" in page.url and "date_to=2024-03-31" in page.url
    expect(result_count(page)).not_to_have_text("30")
    # A filter changed in place: the timeline follows (a search's comes with its counts).
    page.get_by_label("Search words").fill("partners")
    page.wait_for_url("**q=partners**")
    expect(page.locator(".timeline-slot")).to_contain_text("Statements per week")
    expect(page.locator(".timeline-chart a").first).to_have_attribute("href", re.compile(r"q=partners"))


def test_the_timeline_without_javascript_is_a_page_of_its_own(browser, live_server, demo, screenshot):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/?country=JP")
    page.get_by_role("link", name="These statements over time").click()
    expect(page.locator("h1")).to_have_text("Statements over time")
    page.get_by_text("The numbers").click()
    expect(page.locator(".timeline-numbers tbody tr").first).to_be_visible()
    screenshot(page, "timeline-no-javascript-phone")
    context.close()
