"""A reader reports an error from a story, in Chromium with JavaScript off; an editor, in a
second browser, finds the report in the desk's queue, opens it and adds a correction from it,
which readers then see on the story. Console errors and CSP violations fail the test."""

import pytest
from playwright.sync_api import expect

from articles.models import Status
from contact.models import ContactMessage
from tests.browser.staff import log_in, open_page, record_errors
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader(browser):
    """A reader's tab without JavaScript: the form must work without it."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1024,
                                                                        "height": 800})  # fmt: skip
    page = context.new_page()
    errors = record_errors(page)
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def editor_tab(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page, errors = open_page(context)
    yield page
    context.close()
    assert errors == []


def test_an_error_report_from_a_story_reaches_the_editors_desk(live_server, reader, editor_tab):
    story = make_article(status=Status.PUBLISHED, headline="Talks resume in Geneva")
    editor = make_user("Editor")

    reader.goto(live_server.url + story.get_absolute_url())
    reader.get_by_role("link", name="Report an error").click()
    expect(reader.locator("h1")).to_have_text("Report an error")
    expect(reader.locator(".contact-story")).to_contain_text("Talks resume in Geneva")
    expect(reader.get_by_label("An error in a story")).to_be_checked()
    reader.get_by_label("Your message").fill("The talks began on Tuesday, not Monday.")
    reader.get_by_role("button", name="Send").click()
    expect(reader.locator("[role=status]")).to_contain_text("Thank you, we've got your message")
    report = ContactMessage.objects.get()
    assert report.story_id == story.pk and report.kind == "error"

    log_in(editor_tab, live_server.url, editor)
    queue = editor_tab.locator("#queue-reports")
    expect(queue).to_contain_text("Reader reports (1)")
    expect(queue).to_contain_text("Talks resume in Geneva")
    expect(editor_tab.locator(".desk-count-reports")).to_have_text("Reader reports (1)")
    queue.get_by_role("link", name="The talks began on Tuesday").click()
    expect(editor_tab.locator("#content-main")).to_contain_text(
        "The talks began on Tuesday, not Monday."
    )
    editor_tab.get_by_role("link", name="Add a correction from this report").click()
    editor_tab.get_by_label("Text readers will see").fill(
        "An earlier version said the talks began on Monday."
    )
    editor_tab.get_by_role("button", name="Add the correction").click()
    expect(editor_tab.locator(".messagelist")).to_contain_text("The correction is on the story")
    report.refresh_from_db()
    assert report.status == "handled" and report.correction is not None

    reader.goto(live_server.url + story.get_absolute_url())
    expect(reader.locator(".corrections")).to_contain_text(
        "An earlier version said the talks began on Monday."
    )
