"""The issue's sentence, end to end: "a publisher builds the footer menu and publishes an
About page". In Chromium, a publisher writes the About page in the desk (title and CKEditor
body), takes it through the workflow to published, then adds it and an outside "Support us"
link to the footer menu; a reader (another browser, logged out) sees both links in the footer
of the home page and of a story, follows the About link and reads the page. Console errors
and CSP violations on any page, desk or reader's, fail the test."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Status
from articles.roles import PUBLISHER
from pages.models import Page
from tests.browser.staff import log_in, open_page
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]

ABOUT_TEXT = "We are a small newsroom covering Europe, funded by our readers."


def _write_and_publish_the_about_page(desk, base_url: str) -> Page:
    desk.goto(f"{base_url}/admin/pages/page/add/")
    expect(desk.locator("#page_form[data-ready=true]")).to_have_count(1)
    desk.locator("#id_title").press_sequentially("About")
    expect(desk.locator("#id_slug")).to_have_value("about")  # filled from the title
    desk.locator(".field-body .ck-editor__editable").click()
    desk.keyboard.type(ABOUT_TEXT)
    with desk.expect_navigation():
        desk.click("input[name=_continue]")
    expect(desk.locator(".messagelist")).to_contain_text("is now draft")
    for step, says in (("submit", "submitted for edit"), ("approve", "approved"),
                       ("publish", "published")):  # fmt: skip
        with desk.expect_navigation():
            desk.click(f"button[name=_step][value={step}]")
        expect(desk.locator(".messagelist")).to_contain_text(f"is now {says}")
    return Page.objects.get(path="about")


def _add_about_and_support_us_to_the_footer(desk) -> None:
    desk.locator("#menus-menu").get_by_role("link", name="Menus").click()
    desk.get_by_role("link", name="Footer links").click()
    rows = desk.locator(".inline-related tbody tr.form-row:not(.empty-form)")
    expect(rows.first).to_be_visible()
    first_new = rows.count() - 2  # the two empty rows the form offers, after the links
    desk.select_option(f"#id_items-{first_new}-page", label="About (/about/)")
    desk.fill(f"#id_items-{first_new + 1}-label", "Support us")
    desk.fill(f"#id_items-{first_new + 1}-url", "https://support.example.org/give")
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("Saved the menu “Footer links”")


def test_a_publisher_publishes_the_about_page_and_puts_it_in_the_footer(browser, live_server):
    publisher = make_user(PUBLISHER)
    story = make_article(status=Status.PUBLISHED, headline="Talks in Vienna")

    desk_context = browser.new_context(viewport={"width": 1366, "height": 900})
    desk, desk_errors = open_page(desk_context)
    log_in(desk, live_server.url, publisher)
    page = _write_and_publish_the_about_page(desk, live_server.url)
    assert page.status == Status.PUBLISHED
    _add_about_and_support_us_to_the_footer(desk)
    desk_context.close()

    reader_context = browser.new_context(viewport={"width": 1280, "height": 900})
    reader, reader_errors = open_page(reader_context)
    for url in ("/", story.get_absolute_url()):
        reader.goto(f"{live_server.url}{url}")
        footer = reader.get_by_role("navigation", name="Footer")
        expect(footer.get_by_role("link", name="About", exact=True)).to_have_attribute(
            "href", "/about/"
        )
        expect(footer.get_by_role("link", name="Support us")).to_have_attribute(
            "href", "https://support.example.org/give"
        )
    reader.get_by_role("navigation", name="Footer").get_by_role(
        "link", name="About", exact=True
    ).click()
    expect(reader).to_have_url(re.compile(r"/about/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("About")
    expect(reader.locator("article.page .body")).to_contain_text(ABOUT_TEXT)
    reader_context.close()
    assert desk_errors == [] and reader_errors == [], desk_errors + reader_errors
