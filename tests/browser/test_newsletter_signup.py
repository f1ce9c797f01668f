"""A reader subscribes from a story page with JavaScript off, confirms from the email,
changes newsletters, and leaves with one click; the confirmation goes through real SMTP."""

import re

import pytest

from articles.models import Status
from newsletters.links import unsubscribe_url
from newsletters.models import Newsletter, Subscription
from sections.models import Series
from tests import mail_server
from tests.browser.staff import record_errors
from tests.factories import make_article
from tests.newsletters.helpers import make_newsletter, send_queued_confirmations

pytestmark = [pytest.mark.django_db(transaction=True)]
State = Subscription.State


@pytest.fixture
def inbox(settings, live_server):
    controller, inbox = mail_server.start(settings)
    settings.SITE_URL = live_server.url  # links in the email lead to this test's server
    yield inbox
    controller.stop()


@pytest.fixture
def no_js(browser):
    """A reader's tab without JavaScript; console errors and CSP violations fail the test."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1024, "height": 800}
    )
    page = context.new_page()
    errors = record_errors(page)
    yield page
    context.close()
    assert errors == []


def test_subscribe_without_javascript_confirm_change_and_unsubscribe(live_server, inbox, no_js):
    series = Series.objects.create(name="Diplomacy Watch", slug="diplomacy-watch")
    story = make_article(status=Status.PUBLISHED, series=series)
    watch = make_newsletter(series=series, name="Diplomacy Watch")
    weekly = make_newsletter(name="The Weekly", source="site", series=None)

    no_js.goto(live_server.url + story.get_absolute_url())
    form = no_js.locator("form.newsletter-signup")
    assert "Get Diplomacy Watch by email" in form.locator("h2").inner_text()
    form.get_by_label("Email address").fill("reader@example.org")
    form.get_by_role("button", name="Subscribe").click()
    assert no_js.locator("h1").inner_text() == "Check your inbox"
    assert Subscription.objects.get().state == State.PENDING
    assert inbox.messages == []  # the web request sent nothing: the worker does

    assert send_queued_confirmations() == 1
    [message] = inbox.to("reader@example.org")
    text = message.get_body(("plain",)).get_content()
    confirm = re.search(r"http://\S+/newsletters/confirm/\S+/", text).group(0)
    no_js.goto(confirm)
    assert Subscription.objects.get().state == State.PENDING  # opening the link is not consent
    no_js.get_by_role("button", name="Yes, subscribe me").click()
    assert no_js.locator("h1").inner_text() == "You are subscribed"
    assert Subscription.objects.get().state == State.ACTIVE

    no_js.get_by_role("link", name="Change your newsletters").click()
    assert no_js.get_by_label("Diplomacy Watch").is_checked()
    no_js.get_by_label("The Weekly").check()
    no_js.get_by_role("button", name="Save my choices").click()
    assert "Saved" in no_js.locator("[role=status]").inner_text()
    states = dict(Subscription.objects.values_list("newsletter_id", "state"))
    assert states == {watch.pk: State.ACTIVE, weekly.pk: State.ACTIVE}

    # The visible unsubscribe link: one button, and it is done.
    preferences = no_js.url
    subscriber = Subscription.objects.first().subscriber
    no_js.goto(unsubscribe_url(subscriber))
    no_js.get_by_role("button", name="Unsubscribe").click()
    assert no_js.locator("h1").inner_text() == "You are unsubscribed"
    assert set(Subscription.objects.values_list("state", flat=True)) == {State.UNSUBSCRIBED}
    no_js.goto(preferences)
    assert not no_js.get_by_label("Diplomacy Watch").is_checked()


def test_the_newsletter_pages_have_no_serious_accessibility_violations(live_server, browser):
    from axe_playwright_python.sync_playwright import Axe

    from newsletters import links
    from newsletters.models import Subscriber

    series = Series.objects.create(name="Diplomacy Watch", slug="diplomacy-watch")
    story = make_article(status=Status.PUBLISHED, series=series)
    make_newsletter(series=series, name="Diplomacy Watch", description="Each installment.")
    make_newsletter(name="Europe", source="section", section=story.section, series=None)
    subscriber = Subscriber.objects.create(email="reader@example.org")
    for newsletter in Newsletter.objects.all():
        Subscription.objects.create(subscriber=subscriber, newsletter=newsletter)
    paths = [story.get_absolute_url(), series.get_absolute_url(), "/newsletters/",
             links.confirm_url(subscriber), links.preferences_url(subscriber),
             links.unsubscribe_url(subscriber)]  # fmt: skip
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = record_errors(page)
    axe, problems = Axe(), {}
    for path in paths:
        page.goto(live_server.url + path.removeprefix("http://localhost:8000"))
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa",
                                                     "wcag22aa", "best-practice"]})  # fmt: skip
        serious = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                   for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]  # fmt: skip
        if serious:
            problems[path] = serious
    assert errors == []
    # The form with its errors, as a reader without JavaScript gets it back (status 400,
    # which the browser logs: the one console line expected here).
    page.goto(live_server.url + "/newsletters/subscribe/")
    page.get_by_label("Email address").fill("not-an-address@")
    page.locator("form.newsletter-signup").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Subscribe").click()
    assert page.locator("[role=alert]").count() == 1
    results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]})
    context.close()
    problems["form errors"] = [v["id"] for v in results.response["violations"]
                               if v["impact"] in ("serious", "critical")]  # fmt: skip
    assert problems == {"form errors": []}
    assert len(errors) == 1 and "status of 400" in errors[0]
