import datetime

import pytest
from playwright.sync_api import expect

from tests.factories import make_official, make_statement

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


@pytest.fixture
def korean(db):
    cho = make_official(name="Cho Tae-yul", native_name="조태열", country="KR")
    make_statement(
        text="North Korea's denuclearization is the starting point of peace on the Korean Peninsula.",
        original_text="북한의 비핵화는 한반도 평화의 출발점이라고 생각합니다.",
        original_language="ko",
        translated_by="publisher",
        official=cho,
        date=datetime.date(2024, 11, 12),
    )
    earlier = datetime.date(2024, 11, 1)
    make_statement(text="북한은 대화의 장으로 나와야 한다고 밝혔다.", language="ko", official=cho, date=earlier)
    make_statement(text="한미동맹은 어느 때보다 굳건합니다.", language="ko", official=cho, date=earlier)


def test_the_korean_interface_with_a_korean_search(browser, live_server, korean, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    page.goto(f"{live_server.url}/statements/?q=북한")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("link", name="발언", exact=True)).to_be_visible()
    expect(page.locator(".result-count")).to_contain_text("“북한” 검색 결과 2건")
    expect(page.locator("mark", has_text="북한은")).to_be_visible()
    # Hangul drawn in a font that has it: as wide as Korean text should be, not empty boxes of one width.
    width = page.locator(".site-header nav a").first.evaluate("link => link.getBoundingClientRect().width")
    assert width > 20
    screenshot(page, "korean-explorer")
    page.get_by_role("link", name="발언 페이지").first.click()
    expect(page.locator(".version-label").first).to_contain_text("원문")
    screenshot(page, "korean-statement")
    context.close()


def test_the_language_switch_works_without_javascript(browser, live_server, korean, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/topics/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#site-language", "ko")
    page.get_by_role("button", name="Change").click()
    expect(page).to_have_url(f"{live_server.url}/topics/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("button", name="변경")).to_be_visible()
    context.close()
