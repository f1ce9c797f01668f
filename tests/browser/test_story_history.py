"""An editor reads a story's history and compares two versions in Chromium, at a laptop's
width and a phone's: words, not internals; the text as rendered; nothing scrolls sideways;
no JavaScript error or CSP violation."""

import pytest
from playwright.sync_api import expect

from articles import services
from articles.models import Status
from articles.roles import CONTRIBUTOR, EDITOR
from tests.browser.staff import between_requests, log_in, open_story, record_errors, story_url
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]

PHRASES = [
    "this object", "revert", "Revert", "tagged_items", "None", "No fields changed",
    "under reversion control", "Date/time", "Go back to history list",
]  # fmt: skip


def person(role, first, last):
    user = make_user(role)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def scrolls_sideways(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


@pytest.mark.parametrize("width", [1366, 390])
def test_an_editor_reads_history_and_compare(live_server, browser, width):
    writer = person(CONTRIBUTOR, "Ana", "Ruiz")
    editor = person(EDITOR, "Ben", "Okafor")
    story = make_article(
        created_by=writer,
        headline="Council votes on the pool",
        body="<h2>Why it matters</h2><p>The council met on Monday.</p>"
        "<ul><li>Close the pool</li><li>Sell the land</li></ul>",
    )
    services.save_article(article=story, user=writer)
    services.submit(article=story, user=writer)
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    errors = record_errors(tab)
    log_in(tab, live_server.url, editor)

    # The editor changes a subhead, a word and a list item through the story form.
    open_story(tab, story_url(live_server.url, story))
    tab.evaluate(
        """() => window.editors.id_body.setData('<h2>Why it really matters</h2>'
             + '<p>The council met on Tuesday.</p>'
             + '<ul><li>Close the pool</li><li>Keep the land</li></ul>')"""
    )
    tab.click("input[name=_continue]")
    expect(tab.locator(".messagelist")).to_be_visible()
    with between_requests():
        services.return_to_writer(article=story, user=editor, comment="Add the vote count.")

    tab.goto(f"{live_server.url}/admin/articles/article/{story.pk}/history/")
    entries = tab.locator(".history-entry")
    expect(entries.first).to_contain_text("Returned to the writer")
    expect(entries.first).to_contain_text("Add the vote count.")
    expect(entries.first).to_contain_text("Ben Okafor")
    expect(tab.locator(".history-entries")).to_contain_text("Saved: body changed")
    expect(tab.locator(".history-entries")).to_contain_text("Submitted for edit")
    expect(tab.locator(".history-entries")).to_contain_text("Ana Ruiz")
    text = tab.locator("#content").inner_text()
    for phrase in PHRASES:
        assert phrase not in text, phrase
    assert writer.username not in text and editor.username not in text
    assert not scrolls_sideways(tab)

    tab.get_by_role("button", name="Compare the ticked versions").click()
    expect(tab).to_have_title(f"Compare versions of “{story.headline}” | Newsroom desk")
    body = tab.locator(".compare-body .readable-diff")
    expect(body.locator("h2 ins")).to_have_text("really")
    expect(body.locator("p del")).to_have_text("Monday")
    expect(body.locator("p ins")).to_have_text("Tuesday")
    expect(body.locator("li del")).to_have_text("Sell")
    expect(body.locator("li ins")).to_have_text("Keep")
    # Nothing else changed but the status, moved by the submit in between.
    expect(tab.locator(".compare-field > h2")).to_have_text(["Body", "Status"])
    expect(tab.locator(".compare-status")).to_contain_text("Draft → Submitted for edit")
    text = tab.locator("#content").inner_text()
    for phrase in PHRASES:
        assert phrase not in text, phrase
    assert not scrolls_sideways(tab)
    assert errors == []
    context.close()


def test_the_older_version_can_be_restored_from_compare(live_server, tab):
    editor = person(EDITOR, "Ben", "Okafor")
    story = make_article(status=Status.DRAFT, headline="First headline")
    services.save_article(article=story, user=editor)
    story.headline = "Second headline"
    services.save_article(article=story, user=editor)
    errors = record_errors(tab)
    log_in(tab, live_server.url, editor)
    tab.goto(f"{live_server.url}/admin/articles/article/{story.pk}/history/")
    tab.get_by_role("link", name="Restore this version").click()
    expect(tab.locator("#content-main")).to_contain_text("as Ben Okafor saved them on")
    tab.get_by_role("button", name="Restore this version").click()
    expect(tab.locator(".messagelist")).to_contain_text("earlier version is restored")
    expect(tab.locator("#id_headline")).to_have_value("First headline")
    assert errors == []
