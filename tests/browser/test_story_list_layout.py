"""The story list at a laptop's width shows every column beside the sidebar, with its filters
as a row of menus above it; on a phone each story is a card."""

import pytest
from playwright.sync_api import expect

from articles.roles import EDITOR
from tests.browser.staff import log_in, open_page
from tests.factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True)]

COLUMNS = ["headline", "status_label", "section", "byline", "last_saved", "publish_time"]


def test_at_1366_every_column_shows_with_the_filters_and_sidebar_open(demo_site, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page, errors = open_page(context)
    log_in(page, demo_site, make_user(EDITOR))
    page.goto(f"{demo_site}/admin/articles/article/")
    expect(page.locator("#nav-sidebar")).to_be_visible()
    expect(page.locator("#changelist-filter details").first).to_be_visible()
    width = page.evaluate("document.documentElement.clientWidth")
    for column in COLUMNS:
        box = page.locator(f"#result_list thead th.column-{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, column
    cut = page.evaluate("(r => r.scrollWidth - r.clientWidth)(document.querySelector('.results'))")
    assert cut <= 0, f"the list scrolls sideways by {cut}px"
    # A filter is a menu: closed until asked, then its choice is named on it.
    status = page.locator("#changelist-filter details", has_text="By status")
    expect(status.locator("ul")).to_be_hidden()
    status.locator("summary").click()
    status.get_by_role("link", name="Draft", exact=True).click()
    expect(page).to_have_url(f"{demo_site}/admin/articles/article/?state=draft")
    expect(page.locator("#changelist-filter details.in-use summary")).to_have_text(
        "By status: Draft"
    )
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    context.close()
    assert errors == []


def test_at_390_each_story_is_a_card(demo_site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page, errors = open_page(context)
    log_in(page, demo_site, make_user(EDITOR))
    page.goto(f"{demo_site}/admin/articles/article/")
    expect(page.locator("#result_list thead")).to_be_hidden()
    first = page.locator("#result_list tbody tr").first
    for column in COLUMNS:
        cell = first.locator(f".field-{column}")
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, column
    label = first.locator(".field-status_label").evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert label == '"Status: "'  # each value says what it is
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert errors == []
