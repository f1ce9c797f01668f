"""A reader's browser counts: opening a story sends a view, and leaving it after reading to
the end sends the seconds it was visible and that the end was reached; our search page sends
what was searched for. No console error, no CSP violation, nothing stored in the browser."""

import time

import pytest

from articles.models import Status
from audience.events import ENGAGED, VIEW
from tests.audience.beacon_kit import buffered
from tests.browser.staff import open_page
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_events(condition, timeout: float = 15):
    """The buffered events once `condition(events)` holds (a beacon is sent as the browser
    pleases, not before the page's next step)."""
    deadline = time.monotonic() + timeout
    while True:
        events = buffered()
        if condition(events):
            return events
        assert time.monotonic() < deadline, f"timed out with {events}"
        time.sleep(0.1)


def test_reading_a_story_to_the_end_counts_a_view_engaged_time_and_the_end(
    reader_browser, live_server
):
    body = "".join(f"<p>Paragraph {n} of a long story, with words to read.</p>" for n in range(80))
    story = make_article(status=Status.PUBLISHED, body=body)
    context = reader_browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page, errors = open_page(context)
    try:
        page.goto(live_server.url + story.get_absolute_url())
        opened = wait_for_events(lambda events: any(e.kind == VIEW for e in events))
        assert [(e.kind, e.target, e.target_id) for e in opened] == [(VIEW, "story", story.pk)]
        assert page.evaluate("document.cookie") == ""

        page.locator("p", has_text="Paragraph 79 of").scroll_into_view_if_needed()
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(2500)  # reading: the page stays visible a couple of seconds
        page.click("nav.breadcrumbs a")  # leaving for the home page: the engaged report

        events = wait_for_events(lambda events: any(e.kind == ENGAGED for e in events))
        (engaged,) = [e for e in events if e.kind == ENGAGED]
        assert (engaged.target, engaged.target_id, engaged.ended) == ("story", story.pk, True)
        assert 2 <= engaged.seconds <= 60
        views = wait_for_events(lambda events: sum(e.kind == VIEW for e in events) == 2)
        home = [e for e in views if e.kind == VIEW][-1]
        assert (home.target, home.path, home.referrer) == ("other", "/", "internal")
        assert page.evaluate("localStorage.length + sessionStorage.length") == 0
        assert context.cookies() == []

        page.goto(live_server.url + "/search/?q=city+hall")  # what readers search for
        searched = wait_for_events(lambda events: any(e.term for e in events))
        assert [(e.path, e.term) for e in searched if e.term] == [("/search/", "city hall")]
    finally:
        context.close()
    assert errors == []  # console errors, CSP violations among them
