"""The desk's newsletter issue in a real browser: an editor opens an issue, previews its web
version and its email (sandboxed, no CSP violation), and sends a test to themselves, which
the worker delivers to a real SMTP server."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Status
from articles.roles import EDITOR
from media.renditions import build_renditions
from newsletters.issues import create_issue
from tests.browser.staff import log_in, record_errors
from tests.factories import make_article, make_user
from tests.images import jpeg_bytes, make_image
from tests.newsletters.issue_factories import (
    _issue_inbox,  # noqa: F401 (the SMTP server on this worktree's port)
    confirmed_subscriber,
    make_newsletter,
    make_series,
)

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_an_editor_previews_an_issue_and_sends_a_test_to_themselves(
    browser, live_server, settings, issue_inbox
):
    settings.SITE_URL = live_server.url  # the email's links and pictures point at this site
    editor = make_user(EDITOR, username="mara", with_email=True)
    series = make_series(name="Diplomacy Watch")
    letter = make_newsletter(series=series, name="Diplomacy Watch")
    confirmed_subscriber(letter, "reader@example.org")
    picture = make_image(jpeg_bytes((1300, 800)), credit="Alex Edelman/Pool via REUTERS")
    build_renditions(picture)
    stories = [
        make_article(status=Status.PUBLISHED, series=series, headline="Talks resume",
                     lead_image=picture),
        make_article(status=Status.PUBLISHED, series=series, headline="A summit without Russia"),
    ]  # fmt: skip
    issue = create_issue(letter, stories, subject="This week in diplomacy")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = record_errors(page)
    log_in(page, live_server.url, editor)
    page.goto(f"{live_server.url}/admin/newsletters/issue/{issue.pk}/change/")
    expect(page.locator("#issue-panel")).to_contain_text("Draft")

    with context.expect_page() as opened:
        page.get_by_role("link", name="Preview on the web").click()
    web = opened.value
    web_errors = record_errors(web)
    web.wait_for_load_state()
    expect(web.locator("h1")).to_have_text("This week in diplomacy")
    expect(web.locator(".preview-banner")).to_be_visible()
    expect(web.get_by_role("link", name="Talks resume", exact=True)).to_be_visible()
    web.close()

    page.get_by_role("link", name="Preview the email").click()
    frame = page.frame_locator("#email-html")
    expect(frame.get_by_role("link", name="A summit without Russia", exact=True)).to_be_visible()
    expect(frame.get_by_text("Alex Edelman/Pool via REUTERS")).to_be_visible()
    expect(page.locator("#email-html")).to_have_attribute("sandbox", "")
    loaded = frame.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded, "the email's picture (an existing rendition) shows in the preview"
    expect(page.locator("#email-text")).to_contain_text("Read the full story: ")

    page.go_back()
    page.get_by_role("button", name="Send a test to me").click()
    expect(page.locator(".messagelist")).to_contain_text("on its way to mara@example.org")
    assert errors == [] and web_errors == [], errors + web_errors
    context.close()

    # The worker (django-tasks' db_worker, the newsletters' own) delivers the test copy.
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    [message] = issue_inbox.to("mara@example.org")
    assert message["Subject"] == "[Test] This week in diplomacy"
    assert not issue_inbox.to("reader@example.org"), "a test goes to the editor only"
    html = message.get_body(("html",)).get_content()
    assert f'href="{live_server.url}{stories[0].get_absolute_url()}"' in html
