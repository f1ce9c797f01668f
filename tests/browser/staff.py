"""What browser tests do as staff."""

import threading
import time
from contextlib import contextmanager

from django.core.handlers.wsgi import WSGIHandler
from playwright.sync_api import expect


def story_url(base_url: str, story) -> str:
    """The story's form in the desk."""
    return f"{base_url}/admin/articles/article/{story.pk}/change/"


def log_in(page, base_url: str, user) -> None:
    """Log in to the admin through its form, as staff do (the test users' password is "pw")."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")


class _Gate:
    """The live server answers one request at a time, and none while a test's database is
    emptied: its threads share one in-memory SQLite database (each through its own
    connection), whose table locks fail a query at once ("table is locked") when autosave,
    heartbeats and page loads overlap (a real database does not), and a closing tab still
    sends its last autosave and "leaving" beacon as the test ends."""

    def __init__(self):
        self.lock, self.open, self.installed = threading.Lock(), True, False

    def install(self) -> None:
        if self.installed:
            return
        handle, gate = WSGIHandler.__call__, self
        self.original = handle

        def one_at_a_time(handler, environ, start_response):
            with gate.lock:
                if not gate.open:
                    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                    return [b"The test is over."]
                return handle(handler, environ, start_response)

        WSGIHandler.__call__ = one_at_a_time
        self.installed = True

    def uninstall(self) -> None:
        """Live servers outside the browser tests answer as Django does."""
        if self.installed:
            WSGIHandler.__call__ = self.original
            self.installed, self.open = False, True

    def close(self) -> None:
        """No more requests reach the database; waits for the one being answered."""
        self.open = False
        with self.lock:
            pass


live_server_gate = _Gate()


@contextmanager
def between_requests():
    """The test uses the database while a desk page is open: the page's heartbeat, autosave
    and comment polling wait until it is done. Each live-server thread has its own connection
    to the shared in-memory SQLite database, whose table locks refuse at once ("database
    table is locked") a read of a table another connection is writing, e.g. a comments poll
    reading articles_article while the test publishes the story."""
    with live_server_gate.lock:
        yield


def record_errors(page) -> list[str]:
    """JavaScript errors and console errors (CSP violations and failed loads included) on
    every page the tab visits."""
    errors: list[str] = []

    def console(message):
        if message.type == "error":
            errors.append(f"{message.text} at {message.location['url']}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def open_page(context) -> tuple:
    """A new tab that records its errors: (page, errors)."""
    page = context.new_page()
    return page, record_errors(page)


def open_story(page, url: str) -> None:
    """Open a story form and wait until its desk script (autosave, presence) is running."""
    page.goto(url)
    expect(page.locator("#story-desk[data-ready=true]")).to_have_count(1)


def type_in_body(page, text: str) -> None:
    """Type into the story's CKEditor body, at the end, as a person does."""
    editable = page.locator(".field-body .ck-editor__editable")
    editable.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
