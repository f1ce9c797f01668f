"""Nothing an editor types is lost: autosave, restore after closing the tab, the leave prompt,
and who else is editing, through the real story form in Chromium."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.roles import CONTRIBUTOR, EDITOR
from desk import working_copy_views as desk_views
from desk.models import WorkingCopy
from tests.browser.staff import (
    log_in,
    open_page,
    open_story,
    record_errors,
    wait_until,
)
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fast_desk(monkeypatch):
    """Autosave and heartbeat every second (the live server runs in this process)."""
    monkeypatch.setattr(desk_views, "AUTOSAVE_SECONDS", 1)
    monkeypatch.setattr(desk_views, "HEARTBEAT_SECONDS", 1)


def test_typing_survives_closing_the_tab_and_is_restored_then_saved(
    live_server, browser, fast_desk
):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Harbour plan")
    url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, errors = open_page(context)
    log_in(page, live_server.url, writer)
    open_story(page, url)

    page.click("#id_headline")
    page.keyboard.press("End")
    page.keyboard.type(" approved")
    page.click(".field-body .ck-editor__editable")
    page.keyboard.press("Control+End")
    page.keyboard.type(" Councillors voted late.")

    expect(page.locator("#desk-status")).to_contain_text("Saved to your working copy")
    wait_until(
        lambda: (
            "Councillors voted late"
            in "".join(WorkingCopy.objects.get(user=writer, article=story).data["body"])
        )
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.close(run_before_unload=True)
    assert dialogs == []  # everything typed is in the working copy: no need to ask

    page, more_errors = open_page(context)
    open_story(page, url)
    offer = page.locator("#desk-offer")
    expect(offer).to_contain_text("Restore your unsaved changes from")
    expect(offer.locator("ins", has_text="approved")).to_have_count(1)
    expect(offer.locator("ins", has_text="Councillors voted late.")).to_have_count(1)
    page.click("#desk-restore")

    expect(page.locator(".errorlist.nonfield")).to_contain_text("Restored your unsaved changes")
    expect(page.locator("#id_headline")).to_have_value("Harbour plan approved")
    page.wait_for_function("() => window.editors && window.editors.id_body")
    assert "Councillors voted late." in page.evaluate("() => window.editors.id_body.getData()")
    assert Article.objects.get(pk=story.pk).headline == "Harbour plan"  # nothing saved yet

    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert story.headline == "Harbour plan approved"
    assert "Councillors voted late." in story.body
    assert dialogs == []
    assert errors + more_errors == []
    context.close()


def test_leaving_with_typing_not_yet_stored_asks_first(live_server, desktop):
    """The default interval (15 s) leaves no time to autosave before the editor navigates."""
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer)
    errors = record_errors(desktop)
    log_in(desktop, live_server.url, writer)
    open_story(desktop, f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    dialogs: list[str] = []
    desktop.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))

    desktop.goto(f"{live_server.url}/admin/")  # nothing typed: no question
    assert dialogs == []

    open_story(desktop, f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    desktop.click("#id_headline")
    desktop.keyboard.type("Unsaved words ")
    desktop.goto(f"{live_server.url}/admin/")
    assert dialogs == ["beforeunload"]
    assert errors == []


def test_the_add_page_autosaves_without_errors(live_server, desktop, fast_desk):
    writer = make_user(CONTRIBUTOR)
    page = desktop
    errors = record_errors(page)
    log_in(page, live_server.url, writer)
    open_story(page, f"{live_server.url}/admin/articles/article/add/")
    page.click("#id_headline")
    page.keyboard.type("A story begun")
    expect(page.locator("#desk-status")).to_contain_text("Saved to your working copy")
    copy = WorkingCopy.objects.get(user=writer)
    assert copy.article is None and copy.data["headline"] == ["A story begun"]
    assert not Article.objects.exists()
    assert errors == []


def test_a_second_editor_sees_who_is_editing_live(live_server, browser, fast_desk):
    priya = make_user(EDITOR)
    priya.first_name, priya.last_name = "Priya", "Raman"
    priya.save()
    colleague = make_user(EDITOR)
    story = make_article()
    url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"

    first = browser.new_context()
    priya_page, priya_errors = open_page(first)
    log_in(priya_page, live_server.url, priya)
    open_story(priya_page, url)
    expect(priya_page.locator("#desk-presence")).to_be_hidden()

    second = browser.new_context()
    page, errors = open_page(second)
    log_in(page, live_server.url, colleague)
    open_story(page, url)
    # Shown before anything is typed, and on Priya's open page within a heartbeat.
    expect(page.locator("#desk-presence")).to_contain_text(
        "Priya Raman is editing this story (since "
    )
    expect(priya_page.locator("#desk-presence")).to_contain_text(
        f"{colleague.username} is editing this story"
    )

    priya_page.goto(f"{live_server.url}/admin/")  # leaving sends a goodbye beacon
    expect(page.locator("#desk-presence")).to_be_hidden()
    assert priya_errors + errors == []
    first.close()
    second.close()


def test_the_status_line_says_when_a_save_failed_and_recovers(live_server, desktop, fast_desk):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer)
    log_in(desktop, live_server.url, writer)
    open_story(desktop, f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    status = desktop.locator("#desk-status[role=status][aria-live=polite]")

    desktop.route("**/autosave/", lambda route: route.abort())
    desktop.click("#id_headline")
    desktop.keyboard.type("Offline words ")
    expect(status).to_have_text("Not saved: connection lost — retrying")

    desktop.unroute("**/autosave/")
    expect(status).to_contain_text("Saved to your working copy", timeout=15000)

    desktop.context.clear_cookies()  # signed out (say, in another tab)
    desktop.keyboard.type("more ")
    expect(status).to_contain_text("Not saved: you are signed out")
    expect(desktop.locator("#desk-signin")).to_be_visible()  # sign in again here
