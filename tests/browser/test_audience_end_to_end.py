"""The whole path of a count, in Chromium: a reader's browser sends the beacon, the endpoint
buffers it, the fold adds it up (as the worker does, called here from the test), and the desk
shows it. Readers get no cookie; staff see no console error or CSP violation."""

import time

import pytest
from playwright.sync_api import expect

from articles.models import Status
from articles.roles import EDITOR
from audience.events import ENGAGED, VIEW
from audience.folding import fold_pending
from audience.models import DayFigures, Kind
from tests.audience.beacon_kit import buffered
from tests.browser.staff import between_requests, log_in, open_page, open_story, story_url
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)

POLL = 30_000  # the live panel asks every 10 s; a busy machine may be slow to answer


def wait_for(condition, timeout: float = 20):
    """The buffered events once `condition(events)` holds; the test's reads wait between the
    desk tab's requests (tests/browser/staff.py between_requests)."""
    deadline = time.monotonic() + timeout
    while True:
        with between_requests():
            events = buffered()
        if condition(events):
            return events
        assert time.monotonic() < deadline, f"timed out with {events}"
        time.sleep(0.1)


def long_story(headline: str):
    body = "".join(f"<p>Paragraph {n} of the story, with words to read.</p>" for n in range(80))
    return make_article(status=Status.PUBLISHED, headline=headline, body=body)


def test_a_story_read_to_the_end_shows_on_its_desk_page(reader_browser, browser, live_server):
    story = long_story("Harbour dredging resumes")
    reader = reader_browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page, reader_errors = open_page(reader)
    page.goto(live_server.url + story.get_absolute_url())
    page.locator("p", has_text="Paragraph 79 of").scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(2500)  # reading: the page stays visible a couple of seconds
    page.click("nav.breadcrumbs a")  # leaving sends the engaged report
    wait_for(lambda events: any(e.kind == ENGAGED for e in events))
    reader.close()

    assert fold_pending() >= 2  # the story's view and engaged report (and the home's view)
    row = DayFigures.objects.get(kind=Kind.STORY, object_id=story.pk)
    assert (row.views, row.visitors, row.engagements, row.reads_to_end) == (1, 1, 1, 1)
    assert 2 <= row.engaged_seconds <= 60

    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    tab, errors = open_page(desk)
    log_in(tab, live_server.url, make_user(EDITOR))
    open_story(tab, story_url(live_server.url, story))
    group = tab.locator("#readers-group")
    expect(group.locator("dd").nth(0)).to_have_text("1")  # views
    expect(group.locator("dd").nth(3)).to_have_text("100%")  # read to the end
    desk.close()
    assert reader_errors == [] and errors == []


def test_the_live_panel_shows_a_reader_who_just_opened_a_story(
    reader_browser, browser, live_server
):
    story = long_story("Night buses return to the old town")
    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    tab, errors = open_page(desk)
    log_in(tab, live_server.url, make_user(EDITOR))
    tab.goto(f"{live_server.url}/admin/audience/")
    expect(tab.locator("#audience-live-empty")).to_be_visible()
    expect(tab.locator("#audience-live-count")).to_have_text("0")

    reader = reader_browser.new_context(viewport={"width": 390, "height": 800}, locale="en-US")
    page, reader_errors = open_page(reader)
    page.goto(live_server.url + story.get_absolute_url())
    wait_for(lambda events: any(e.kind == VIEW and e.target_id == story.pk for e in events))
    with between_requests():  # the worker's step, while the panel is not asking
        assert fold_pending() >= 1

    expect(tab.locator("#audience-live-pages")).to_contain_text(
        "Night buses return to the old town", timeout=POLL
    )
    expect(tab.locator("#audience-live-count")).to_have_text("1")
    expect(tab.locator("#audience-live-words")).to_have_text("reader in the last 5 minutes")
    expect(tab.locator("#audience-live-empty")).to_be_hidden()
    assert reader.cookies() == []
    reader.close()
    desk.close()
    assert reader_errors == [] and errors == []
