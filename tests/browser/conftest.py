"""Browser tests: Playwright driving Debian's Chromium against the live test server.

They skip when Chromium is not installed, unless DIPLOTRACK_REQUIRE_BROWSER is set (as CI does), which
makes a missing browser a failure. Screenshots go to screenshots/ at the top of the checkout (git-ignored).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# As root in a container, Chromium needs no sandbox; the rest keeps it off this machine's closed network.
ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(live_server, transactional_db):
    # Per test, and only once the database is set up: Playwright runs an event loop in this thread, and
    # pytest-django's restoring of the migrations' data between transactional tests must not run inside it.
    if not CHROMIUM.exists():
        message = f"Chromium is not at {CHROMIUM} (apt-get install chromium): browser tests need it."
        if os.environ.get("DIPLOTRACK_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take
