"""The desk home in Chromium: each role sees its queues, and an editor's return with a
comment reaches the writer's desk and inbox (a real SMTP server), with no console errors."""

import pytest
from playwright.sync_api import expect

from articles.models import Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from tests import mail_server
from tests.browser.staff import log_in, open_page, open_story, wait_until
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def inbox(settings):
    controller, inbox = mail_server.start(settings)
    yield inbox
    controller.stop()


def test_each_role_sees_its_queues(live_server, context):
    writer, editor, publisher = make_user(CONTRIBUTOR), make_user(EDITOR), make_user(PUBLISHER)
    make_article(created_by=writer, headline="A draft of mine")
    make_article(created_by=writer, status=Status.SUBMITTED, headline="Waiting for an editor")
    make_article(created_by=writer, status=Status.APPROVED, headline="Ready for a publisher")
    homes = {
        writer: ("#queue-drafts", "A draft of mine"),
        editor: ("#queue-review", "Waiting for an editor"),
        publisher: ("#queue-approved", "Ready for a publisher"),
    }
    for user, (queue, headline) in homes.items():
        page, errors = open_page(context)
        log_in(page, live_server.url, user)
        expect(page.locator(queue)).to_contain_text(headline)
        page.locator(queue).get_by_role("link", name=headline).click()
        expect(page.locator("#id_headline")).to_have_value(headline)
        page.close()  # before the cookies go: its heartbeat must not outlive the session
        context.clear_cookies()
        assert errors == [], user


def test_a_return_with_a_comment_reaches_the_writers_desk_and_inbox(live_server, context, inbox):
    writer, editor = make_user(CONTRIBUTOR), make_user(EDITOR)
    writer.email = "writer@example.org"
    writer.save(update_fields=["email"])
    story = make_article(created_by=writer, status=Status.SUBMITTED, headline="Bridge closure")
    comment = "Please check the closure dates with the city.\nAnd add the detour map."

    page, errors = open_page(context)
    log_in(page, live_server.url, editor)
    expect(page.locator("#queue-review")).to_contain_text("Bridge closure")
    open_story(page, f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.fill("[name=_comment_return]", comment)
    page.click("button[name=_step][value=return]")
    expect(page.locator(".messagelist")).to_contain_text("is now returned")
    # The editor leaves the story before signing out: the page's presence heartbeat must not
    # run after the cookies are gone (an expired session is issue 21's, not this test's).
    page.goto("about:blank")
    context.clear_cookies()

    log_in(page, live_server.url, writer)
    returned = page.locator("#queue-returned")
    expect(returned).to_contain_text("Please check the closure dates with the city. And add")
    expect(page.locator(".desk-unread")).to_have_text("1")
    page.click(".desk-count-notifications")
    page.click("#mark-all-read")
    expect(page.locator(".desk-unread")).to_have_text("0")
    assert errors == []

    wait_until(lambda: inbox.to("writer@example.org"))
    [message] = inbox.to("writer@example.org")
    assert "Bridge closure" in message["Subject"]
    assert "Please check the closure dates with the city." in message.get_content()
