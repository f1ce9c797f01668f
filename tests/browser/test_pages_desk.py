"""A publisher writes the newsroom's About page in the desk, in the stories' editor, takes it
through the workflow and a reader finds it at /about/; the form asks before leaving with
unsaved changes. Console errors and CSP violations fail the test (the `tab` fixture)."""

import pytest
from playwright.sync_api import expect

from articles.models import Status
from articles.roles import EDITOR, PUBLISHER
from pages.models import Page
from tests.browser.staff import log_in, open_page
from tests.factories import make_page, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


def _open_form(tab, url: str) -> None:
    tab.goto(url)
    expect(tab.locator("#page_form[data-ready=true]")).to_have_count(1)


def test_a_publisher_writes_and_publishes_the_about_page(live_server, browser, tab):
    publisher = make_user(PUBLISHER)
    log_in(tab, live_server.url, publisher)
    _open_form(tab, f"{live_server.url}/admin/pages/page/add/")
    tab.locator("#id_title").press_sequentially("About")
    expect(tab.locator("#id_slug")).to_have_value("about")  # filled from the title
    editable = tab.locator(".field-body .ck-editor__editable")
    editable.click()
    tab.keyboard.type("We are a small newsroom covering Europe.")
    with tab.expect_navigation():
        tab.click("input[name=_continue]")
    expect(tab.locator(".messagelist")).to_contain_text("is now draft")
    for step, says in (("submit", "submitted for edit"), ("approve", "approved"),
                       ("publish", "published")):  # fmt: skip
        with tab.expect_navigation():
            tab.click(f"button[name=_step][value={step}]")
        expect(tab.locator(".messagelist")).to_contain_text(f"is now {says}")
    page = Page.objects.get()
    assert page.status == Status.PUBLISHED and page.path == "about"

    reader_context = browser.new_context()
    reader, errors = open_page(reader_context)
    reader.goto(f"{live_server.url}/about/")
    expect(reader.locator("h1")).to_have_text("About")
    expect(reader.locator("article.page .body")).to_contain_text(
        "We are a small newsroom covering Europe."
    )
    reader_context.close()
    assert errors == []


def test_leaving_the_page_form_with_unsaved_changes_asks_first(live_server, tab):
    editor = make_user(EDITOR)
    page = make_page(title="Ethics policy")
    log_in(tab, live_server.url, editor)
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    url = f"{live_server.url}/admin/pages/page/{page.pk}/change/"
    _open_form(tab, url)
    tab.goto(f"{live_server.url}/admin/")  # nothing typed: no question
    assert dialogs == []
    _open_form(tab, url)
    tab.click("#id_title")
    tab.keyboard.type(" (draft)")
    tab.goto(f"{live_server.url}/admin/")
    assert dialogs == ["beforeunload"]
