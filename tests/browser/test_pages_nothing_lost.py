"""Nothing typed into a page is lost, as for stories: a session that ends while typing asks to
sign in again in place and Save stores every word; a tab closed mid-typing offers the text back
when the page is opened again, from the browser or from the server's working copy. Console
errors and CSP violations fail the tests."""

import pytest
from playwright.sync_api import expect

from articles.roles import CONTRIBUTOR
from desk import page_working_copies
from desk.models import WorkingCopy
from tests.browser.staff import log_in, open_page, wait_until
from tests.factories import make_page, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def new_context(browser):
    contexts = []

    def make():
        contexts.append(browser.new_context(viewport={"width": 1366, "height": 900}))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


def end_session(context) -> None:
    """The session ends (expiry, a restart that lost sessions): its cookie is gone."""
    kept = [cookie for cookie in context.cookies() if cookie["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)


def open_form(tab, url: str) -> None:
    tab.goto(url)
    expect(tab.locator("#page_form[data-ready=true]")).to_have_count(1)


def type_in_body(tab, text: str) -> None:
    tab.locator(".field-body .ck-editor__editable").click()
    tab.keyboard.press("Control+End")
    tab.keyboard.type(text)


def copies_hold(user, page, *phrases) -> bool:
    """Some working copy of the person's for the page holds every phrase in its body."""
    bodies = [
        "".join(c.data.get("body", [])) for c in WorkingCopy.objects.filter(user=user, page=page)
    ]
    return any(all(phrase in body for phrase in phrases) for body in bodies)


def kept_in_browser(tab, user) -> str:
    return tab.evaluate(
        "prefix => Object.keys(localStorage).filter(k => k.startsWith(prefix))"
        ".map(k => localStorage.getItem(k)).join(' ')",
        f"newsroom-desk:{user.pk}:",
    )


def test_a_session_that_ends_while_typing_a_page_loses_nothing(live_server, new_context):
    writer = make_user(CONTRIBUTOR)
    page = make_page(created_by=writer, title="About us", body="<p>We report.</p>")
    context = new_context()
    tab, errors = open_page(context)
    log_in(tab, live_server.url, writer)
    open_form(tab, f"{live_server.url}/admin/pages/page/{page.pk}/change/")
    type_in_body(tab, " Before the expiry.")
    end_session(context)
    type_in_body(tab, " Typed while signed out.")
    tab.wait_for_function(
        "([prefix, words]) => Object.keys(localStorage).some(k => k.startsWith(prefix)"
        " && localStorage.getItem(k).includes(words))",
        arg=[f"newsroom-desk:{writer.pk}:", "Typed while signed out."],
    )
    tab.click("input[name=_save]")
    dialog = tab.locator("#desk-signin")
    expect(dialog).to_be_visible()
    expect(tab.locator("#page-desk-status")).to_contain_text("you are signed out")
    dialog.locator("input[name=password]").fill("pw")
    dialog.locator("button[type=submit]").click()
    tab.wait_for_url("**/admin/pages/page/")
    page.refresh_from_db()
    for words in ("We report.", "Before the expiry.", "Typed while signed out."):
        assert words in page.body
    assert "Typed while signed out." not in kept_in_browser(tab, writer), "dropped once saved"
    assert errors == []


def test_a_page_tab_closed_mid_typing_offers_the_text_back(live_server, new_context):
    writer = make_user(CONTRIBUTOR)
    page = make_page(created_by=writer, title="Ethics policy", body="<p>We correct.</p>")
    url = f"{live_server.url}/admin/pages/page/{page.pk}/change/"
    context = new_context()
    tab, errors = open_page(context)
    log_in(tab, live_server.url, writer)
    open_form(tab, url)
    type_in_body(tab, " Sources are named.")
    tab.wait_for_function(
        "([prefix, words]) => Object.keys(localStorage).some(k => k.startsWith(prefix)"
        " && localStorage.getItem(k).includes(words))",
        arg=[f"newsroom-desk:{writer.pk}:", "Sources are named."],
    )
    tab.close()  # no question asked: the tab is gone, as after a crash

    again, more_errors = open_page(context)
    open_form(again, url)
    expect(again.locator(".field-body .ck-editor__editable")).not_to_contain_text("Sources")
    expect(again.locator("#page-desk-offer")).to_be_visible()
    again.click("#page-desk-restore")
    expect(again.locator(".field-body .ck-editor__editable")).to_contain_text(
        "We correct. Sources are named."
    )
    expect(again.locator("#page-desk-offer")).to_have_count(0)
    with again.expect_navigation():
        again.click("input[name=_continue]")
    page.refresh_from_db()
    assert "Sources are named." in page.body
    assert errors == [] and more_errors == []


def test_a_page_typed_on_one_computer_is_offered_back_from_the_server(
    live_server, new_context, monkeypatch
):
    """The server keeps a working copy of each tab's page form, as for stories: a browser
    that lost its own copy (another computer, a cleared browser) is offered it, and saving
    leaves no copy behind."""
    monkeypatch.setattr(page_working_copies, "AUTOSAVE_SECONDS", 1)
    writer = make_user(CONTRIBUTOR)
    page = make_page(created_by=writer, title="Corrections", body="<p>We fix errors.</p>")
    url = f"{live_server.url}/admin/pages/page/{page.pk}/change/"
    context = new_context()
    tab, errors = open_page(context)
    log_in(tab, live_server.url, writer)
    open_form(tab, url)
    type_in_body(tab, " Within a day.")
    wait_until(lambda: copies_hold(writer, page, "Within a day."))
    expect(tab.locator("#page-desk-status")).to_contain_text("Saved to your working copy")
    tab.evaluate("localStorage.clear()")
    tab.close()

    again, more_errors = open_page(context)
    open_form(again, url)
    again.click("#page-desk-restore")
    expect(again.locator(".field-body .ck-editor__editable")).to_contain_text(
        "We fix errors. Within a day."
    )
    with again.expect_navigation():
        again.click("input[name=_continue]")
    page.refresh_from_db()
    assert "Within a day." in page.body
    wait_until(lambda: not WorkingCopy.objects.filter(page=page).exists())
    assert errors == [] and more_errors == []
