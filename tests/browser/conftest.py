"""Browser tests: Playwright for Python driving Debian's Chromium (no browser download).

`.ci/run` installs Chromium when it is missing. Locally, without Chromium, these tests are
skipped with a clear reason, unless CI or REQUIRE_BROWSER is set, when they fail instead.
"""

import os
import shutil

import pytest
from django.core.management import call_command

from tests.audience.beacon_kit import DESKTOP_CHROME
from tests.browser.staff import live_server_gate, open_page

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package", autouse=True)
def live_server_gate_installed():
    """The gate stands in front of the live server for the browser tests only."""
    live_server_gate.install()
    yield
    live_server_gate.uninstall()


@pytest.fixture(autouse=True)
def one_request_at_a_time(live_server_gate_installed):
    """See tests.browser.staff._Gate: opened for each test, closed before its data goes."""
    live_server_gate.open = True
    yield
    live_server_gate.close()


@pytest.fixture
def demo_site(transactional_db, live_server, tmp_path):
    """The demo newsroom, served by a live server; returns its base URL."""
    call_command("load_demo", logins_file=str(tmp_path / "logins.json"), verbosity=0)
    return live_server.url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def context(browser):
    """A browser context at a laptop's width (1366 px), closed after the test."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    yield context
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def tab(browser):
    """A desk tab, 1366 px wide, whose JavaScript errors and CSP violations fail the test."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page, errors = open_page(context)
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def reader_browser(browser):
    """A reader's browser: Chromium saying it is an ordinary desktop Chrome. Headless
    Chromium says "HeadlessChrome" (a bot to the endpoint), and a context's user_agent does
    not reach the reports a page sends as it is left (the browser sends those itself)."""
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--user-agent={DESKTOP_CHROME}"]
    )
    yield launched
    launched.close()
