"""What publishing does to readers and subscribers, said before it happens: in Chromium at
1366 px, through the desk as a publisher works, with no JavaScript or CSP error on any page.

"Publish again" keeps a story's original date; the publish and schedule steps name the
newsletter and how many people they email, beside a way to publish without email; pending
changes published over a live correction show the conflict screen, and what the publisher
chooses is what readers see, the correction note included."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from articles import services
from articles.models import Article, Correction, Status
from articles.roles import CONTRIBUTOR, PUBLISHER
from newsletters import issue_making
from newsletters.models import Delivery, Issue, Subscription
from tests.browser.staff import between_requests, log_in, open_page, open_story, story_url
from tests.factories import make_article, make_author, make_user
from tests.newsletters.issue_factories import make_newsletter, make_series
from tests.newsletters.sending_kit import add_subscribers

pytestmark = [pytest.mark.django_db(transaction=True)]

NEW_YORK = ZoneInfo("America/New_York")


def test_publish_again_keeps_the_original_date(live_server, tab):
    """Unpublished by mistake and put back at once, a story keeps its place: its page, the
    feed and the home page still date it 5 December, under the story published since."""
    original = datetime(2026, 12, 5, 14, 0, tzinfo=NEW_YORK)
    story = make_article(status=Status.PUBLISHED, headline="Ceasefire holds", publish_at=original)
    newer = make_article(
        status=Status.PUBLISHED,
        headline="Talks resume",
        publish_at=datetime(2026, 12, 6, 9, 0, tzinfo=NEW_YORK),
    )
    log_in(tab, live_server.url, make_user(PUBLISHER))
    open_story(tab, story_url(live_server.url, story))
    tab.click("#workflow-panel a:has-text('Unpublish')")
    tab.fill("#id_reason", "Pulled by mistake")
    tab.click("input[name=_confirm]")
    expect(tab.locator(".messagelist")).to_contain_text("is now unpublished")

    tab.click("#workflow-panel button:has-text('Publish again')")
    expect(tab.locator(".messagelist")).to_contain_text(
        "Published again with its original date, 5 December 2026 14:00"
    )
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.publish_at == original

    tab.goto(f"{live_server.url}{story.get_absolute_url()}")
    expect(tab.locator("article .dates time").first).to_have_text("December 5, 2026")
    tab.goto(f"{live_server.url}/")
    expect(tab.locator(".lead")).to_contain_text(newer.headline)
    feed = tab.request.get(f"{live_server.url}{reverse('feeds:latest-rss')}").text()
    assert feed.index(newer.headline) < feed.index("Ceasefire holds")


@pytest.fixture
def installment(live_server):
    """An approved installment of a series whose newsletter sends each story by itself, to
    3 subscribers (and one who has not confirmed, one who left: not counted)."""
    series = make_series(name="Diplomacy Watch")
    letter = make_newsletter(series=series, name="Diplomacy Watch", send_automatically=True)
    add_subscribers(letter, 3)
    add_subscribers(letter, 1, prefix="unconfirmed", confirmed=False)
    add_subscribers(letter, 1, prefix="left")
    Subscription.objects.filter(subscriber__email__startswith="left").update(
        state=Subscription.State.UNSUBSCRIBED
    )
    return make_article(status=Status.APPROVED, series=series, headline="Envoys meet in Oslo")


def test_the_publish_step_names_the_newsletter_and_who_it_emails(live_server, tab, installment):
    log_in(tab, live_server.url, make_user(PUBLISHER))
    open_story(tab, story_url(live_server.url, installment))
    panel = tab.locator("#workflow-panel")
    expect(panel.locator("button", has_text="Publish and email 3 subscribers of Diplomacy Watch"))
    expect(panel.get_by_role("button", name="Publish without email")).to_be_visible()
    expect(
        panel.get_by_role("button", name="Schedule; emails 3 subscribers of Diplomacy Watch")
    ).to_be_visible()
    expect(panel.get_by_role("button", name="Schedule without email")).to_be_visible()

    panel.get_by_role("button", name="Publish and email 3 subscribers of Diplomacy Watch").click()
    expect(tab.locator(".messagelist")).to_contain_text("is now published")
    [issue] = Issue.objects.all()
    assert issue.state == Issue.State.SENDING and issue.deliveries.count() == 3


def test_publish_without_email_sends_nothing(live_server, tab, installment):
    log_in(tab, live_server.url, make_user(PUBLISHER))
    open_story(tab, story_url(live_server.url, installment))
    tab.locator("#workflow-panel").get_by_role("button", name="Publish without email").click()
    expect(tab.locator(".messagelist")).to_contain_text("is now published")
    with between_requests():  # the story's tab is still open (comments, heartbeat)
        installment.refresh_from_db()
        assert installment.is_live() and installment.publish_without_email
        assert not Issue.objects.exists() and not Delivery.objects.exists()
        assert not DBTaskResult.objects.exists(), "nothing queued for the worker"
        # The worker's look at the story (as for a scheduled one) sends nothing either.
        assert issue_making.issues_for_scheduled(installment.pk) == []
        assert not Issue.objects.exists()


def test_schedule_without_email_is_kept_for_the_publish_time(live_server, tab, installment):
    log_in(tab, live_server.url, make_user(PUBLISHER))
    open_story(tab, story_url(live_server.url, installment))
    panel = tab.locator("#workflow-panel")
    panel.locator("input[name=_step_at]").fill("2030-01-02T08:00")
    panel.get_by_role("button", name="Schedule without email").click()
    expect(tab.locator(".messagelist")).to_contain_text("is now scheduled")
    with between_requests():  # the story's tab is still open (comments, heartbeat)
        installment.refresh_from_db()
        assert installment.is_scheduled and installment.publish_without_email
        # At its time the story goes live and the worker looks at it: no issue, no mail.
        Article.objects.filter(pk=installment.pk).update(
            publish_at=datetime(2026, 1, 1, tzinfo=NEW_YORK)
        )
        assert issue_making.issues_for_scheduled(installment.pk) == []
        assert not Issue.objects.exists() and not Delivery.objects.exists()


def without_deletions(cell) -> str:
    """A word-level diff's cell as it reads with the removed words taken out."""
    return " ".join(
        cell.evaluate(
            "c => { const x = c.cloneNode(true);"
            " x.querySelectorAll('del').forEach(d => d.remove()); return x.textContent }"
        ).split()
    )


def test_pending_changes_published_over_a_live_correction(live_server, browser, tab):
    """A contributor rewrites the dek of their live story as pending changes; meanwhile a
    publisher fixes the live dek and adds a correction. Publishing the changes shows the
    conflict: the publisher keeps the live dek, and readers see it, the contributor's new
    text and the correction note."""
    writer, publisher = make_user(CONTRIBUTOR), make_user(PUBLISHER)
    story = make_article(
        status=Status.PUBLISHED,
        headline="Port strike ends",
        dek="Dockers return after two weeks",
        author=make_author(name="Ana Lima", user=writer),
    )
    Article.objects.filter(pk=story.pk).update(created_by=writer)
    story.refresh_from_db()
    services.save_article(article=story, user=services.SYSTEM)  # its first revision

    writer_context = browser.new_context(viewport={"width": 1366, "height": 900})
    writer_tab = writer_context.new_page()
    writer_errors = []
    writer_tab.on("pageerror", lambda error: writer_errors.append(str(error)))
    log_in(writer_tab, live_server.url, writer)
    writer_tab.goto(story_url(live_server.url, story))  # read-only to its writer once live
    writer_tab.click("#workflow-panel button:has-text('Propose changes')")
    expect(writer_tab.locator("#pending-notice")).to_be_visible()
    writer_tab.fill("#id_dek", "Dockers go back to work after a two-week strike")
    writer_tab.fill("#id_headline", "Port strike ends after two weeks")
    writer_tab.locator("#workflow-panel button:has-text('Save and submit for edit')").click()
    expect(writer_tab.locator(".messagelist")).to_contain_text("submitted for edit")
    writer_context.close()
    # The closed tab's last requests may still be writing (SQLite locks a table a writer
    # holds): the test reads only between the live server's requests.
    with between_requests():
        changes = story.pending_changes.get()

    log_in(tab, live_server.url, publisher)
    open_story(tab, story_url(live_server.url, story))
    tab.fill("#id_dek", "Dockers return after 15 days")
    if tab.locator("#panel-corrections").get_attribute("open") is None:
        tab.click("#panel-corrections > summary")  # the group is open on a live story
    tab.click("#corrections-group .add-row a")
    tab.fill("#id_corrections-0-text", "An earlier version said the strike lasted two weeks.")
    tab.click("input[name=_continue]")
    expect(tab.locator(".messagelist")).to_contain_text("Saved the story")

    open_story(tab, story_url(live_server.url, changes))
    tab.click("#workflow-panel a:has-text('Publish changes')")
    conflict = tab.locator("#pending-conflict")
    expect(conflict).to_contain_text("changed the live story since these changes were made")
    dek = conflict.locator("tr", has_text="Dek")
    live_now, pending = dek.locator("td.conflict-diff").all()
    assert without_deletions(live_now) == "Dockers return after 15 days"
    assert without_deletions(pending) == "Dockers go back to work after a two-week strike"
    expect(pending.locator("del")).to_contain_text(["return"])  # against the shared start
    expect(tab.locator("#merged-fields")).to_contain_text("Headline")
    expect(tab.locator("#kept-corrections")).to_contain_text("strike lasted two weeks")
    dek.get_by_label("Keep the live story's").check()
    tab.click("input[name=_confirm]")
    expect(tab.locator(".messagelist")).to_contain_text("Published the pending changes")

    assert not Article.objects.filter(pk=changes.pk).exists()
    tab.goto(f"{live_server.url}{story.get_absolute_url()}")
    expect(tab.locator("article h1")).to_have_text("Port strike ends after two weeks")
    expect(tab.locator("article")).to_contain_text("Dockers return after 15 days")
    expect(tab.locator("#corrections-heading + ul")).to_contain_text("strike lasted two weeks")
    assert Correction.objects.filter(article=story).count() == 1
    assert writer_errors == []


def test_the_publish_buttons_and_the_merge_page_fit_a_phone(live_server, browser, installment):
    """At 390 px the publish step's long labels wrap; neither page scrolls sideways."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page, errors = open_page(context)
    publisher = make_user(PUBLISHER)
    live = make_article(status=Status.PUBLISHED, headline="Port strike ends", dek="Before")
    services.save_article(article=live, user=publisher)
    changes = services.propose_changes(article=live, user=publisher)
    changes.dek = "The pending dek"
    services.save_article(article=changes, user=publisher)
    live.dek = "The live fix"
    services.save_article(article=live, user=publisher)
    log_in(page, live_server.url, publisher)
    for url in (
        story_url(live_server.url, installment),
        f"{live_server.url}/admin/articles/article/{changes.pk}/confirm/publish/",
    ):
        page.goto(url)
        page.screenshot(path=f"/tmp/wtb_{url.rstrip('/').rsplit('/', 1)[-1]}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide"
    context.close()
    assert errors == []
