"""A link typed in the body becomes a source in one click: an editor in Chromium writes a
sentence with a link to an outside report in CKEditor, asks for the links in the text, adds
that one to the sources, saves, and readers see it under “Sources”; no console error, no CSP
violation (the `tab` fixture fails the test on either)."""

import pytest
from playwright.sync_api import expect

from articles.models import Status
from articles.roles import EDITOR
from tests.browser.staff import log_in, open_story, story_url, type_in_body
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]

REPORT = "https://www.washingtonpost.com/world/grain-report"


def type_link(tab, text: str, url: str) -> None:
    """Type `text` in a paragraph of its own at the end of the body and make it a link, as a
    writer does (select it, Ctrl+K). Selected back to the line's start, not by a count of
    characters: the selection is the words typed whatever the editor did around them."""
    type_in_body(tab, "")
    tab.keyboard.press("Enter")
    tab.keyboard.type(text)
    expect(tab.locator(".field-body .ck-editor__editable")).to_contain_text(text)
    tab.keyboard.press("Shift+Home")
    tab.keyboard.press("Control+k")
    field = tab.get_by_role("textbox", name="Link URL")
    expect(field).to_be_visible()
    field.fill(url)
    field.press("Enter")
    expect(tab.locator(f".field-body .ck-content a[href='{REPORT}']")).to_have_text(text)


def test_a_link_in_the_body_becomes_a_source_in_one_click(live_server, tab):
    editor = make_user(EDITOR)
    story = make_article(
        status=Status.PUBLISHED, headline="Grain deal holds",
        body='<p>Shipments rose. <a href="/europe/older-story/">Our earlier story</a>.</p>',
    )  # fmt: skip
    log_in(tab, live_server.url, editor)
    open_story(tab, story_url(live_server.url, story))
    type_link(tab, "a new report", REPORT)

    panel = tab.locator("#panel-sources")
    panel.locator("summary").click()
    panel.get_by_role("button", name="Links in the text").click()
    found = panel.locator("#source-links-list .source-link")
    expect(found).to_have_count(1)  # the site's own link is not an outside report
    expect(found).to_contain_text("a new report — washingtonpost.com")
    found.get_by_role("button").click()
    expect(found).to_have_count(0)
    expect(tab.locator("#id_sources-0-title")).to_have_value("a new report")
    expect(tab.locator("#id_sources-0-url")).to_have_value(REPORT)
    expect(tab.locator("#id_sources-0-publisher")).to_have_value("washingtonpost.com")
    tab.locator("#id_sources-0-title").fill("Grain exports after the deal")

    # Asked again, the link is a source already.
    panel.get_by_role("button", name="Links in the text").click()
    expect(panel.locator("#source-links-list")).to_contain_text("No link to another site")

    tab.click("input[name=_continue]")
    expect(tab.locator(".messagelist")).to_be_visible()
    [source] = story.sources.all()
    assert (source.title, source.url, source.publisher) == (
        "Grain exports after the deal", REPORT, "washingtonpost.com",
    )  # fmt: skip
    assert REPORT in story.__class__.objects.get(pk=story.pk).body

    tab.goto(live_server.url + story.get_absolute_url())
    sources = tab.locator("section.sources")
    expect(sources.get_by_role("heading", name="Sources")).to_be_visible()
    expect(sources.get_by_role("link", name="Grain exports after the deal")).to_have_attribute(
        "href", REPORT
    )
