"""A publisher builds the footer in the desk (a link to the About page, an outside Donate
link, Corrections moved last), saves, and readers see the new footer on every page; no
console error or CSP violation on the way."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Status
from articles.roles import PUBLISHER
from tests.browser.staff import log_in, record_errors
from tests.factories import make_article, make_user
from tests.menus.conftest import make_page

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_publisher_builds_the_footer_and_readers_see_it(browser, live_server):
    publisher = make_user(PUBLISHER)
    make_page(title="About us", slug="about", status=Status.PUBLISHED)
    story = make_article(status=Status.PUBLISHED, headline="Talks in Vienna")

    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    errors = record_errors(page)
    log_in(page, live_server.url, publisher)
    page.locator("#menus-menu").get_by_role("link", name="Menus").click()
    page.get_by_role("link", name="Footer links").click()
    expect(page.locator("#id_items-0-url")).to_have_value("/corrections/")

    rows = page.locator(".inline-related tbody tr.form-row:not(.empty-form)")
    first_new = rows.count() - 2  # the two empty rows the form offers
    page.fill(f"#id_items-{first_new}-order", "5")
    page.select_option(f"#id_items-{first_new}-page", label="About us (/about/)")
    page.fill(f"#id_items-{first_new + 1}-label", "Donate")
    page.fill(f"#id_items-{first_new + 1}-url", "https://donate.example.org/")  # after the last
    page.fill("#id_items-0-order", "90")  # Corrections goes last
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the menu “Footer links”")
    desk.close()

    reader = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = reader.new_page()
    reader_errors = record_errors(tab)
    footer = ["About us", "Contact us", "Newsletters", "RSS", "Atom", "Donate", "Corrections"]
    for url in ("/", story.get_absolute_url()):
        tab.goto(f"{live_server.url}{url}")
        links = tab.get_by_role("navigation", name="Footer").get_by_role("link")
        expect(links).to_have_text(footer)
    tab.get_by_role("navigation", name="Footer").get_by_role("link", name="About us").click()
    expect(tab).to_have_url(re.compile(r"/about/$"))
    expect(tab.get_by_role("heading", level=1)).to_have_text("About us")
    reader.close()
    assert errors == [] and reader_errors == [], errors + reader_errors
