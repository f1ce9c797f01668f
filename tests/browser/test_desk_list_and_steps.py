"""The story list's search, archiving with a reason and its undo, and a picture in use that
cannot be deleted: in Chromium at 1366 px, with no JavaScript or CSP error on any page."""

import pytest
from playwright.sync_api import expect

from articles.models import Status
from articles.roles import EDITOR, PUBLISHER
from tests.browser.staff import log_in, open_story
from tests.factories import make_article, make_author, make_user
from tests.images import make_image

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_the_story_list_search_finds_body_words_and_authors(live_server, tab):
    make_article(headline="Summit talks", body="<p>Officials said Turkey would host talks.</p>")
    make_article(headline="Dispatch from Kyiv", author=make_author(name="Orla Guerin"))
    make_article(headline="Weather")
    log_in(tab, live_server.url, make_user(EDITOR))
    tab.goto(f"{live_server.url}/admin/articles/article/")
    rows = tab.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    tab.fill("#searchbar", "Turkey would host")
    tab.press("#searchbar", "Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Summit talks")
    tab.fill("#searchbar", "Orla Guerin")
    tab.press("#searchbar", "Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Dispatch from Kyiv")


def test_a_publisher_archives_with_a_reason_then_restores(live_server, tab):
    story = make_article(status=Status.PUBLISHED, headline="Ceasefire holds")
    log_in(tab, live_server.url, make_user(PUBLISHER))
    open_story(tab, f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    tab.click("#workflow-panel a:has-text('Archive')")
    expect(tab.locator("#content h1")).to_have_text("Archive “Ceasefire holds”?")
    expect(tab.locator("#confirm-step")).to_contain_text("Readers will no longer see this story")
    tab.fill("#id_reason", "Superseded by the live blog")
    tab.click("input[name=_confirm]")
    expect(tab.locator(".messagelist")).to_contain_text("is now archived")
    story.refresh_from_db()
    assert story.status == Status.ARCHIVED
    assert story.transitions.get().comment == "Superseded by the live blog"
    expect(tab.locator(".field-workflow_history")).to_contain_text("Superseded by the live blog")

    tab.click("#workflow-panel button:has-text('Restore from archive')")
    expect(tab.locator(".messagelist")).to_contain_text("is now draft")
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_an_editor_is_told_where_a_picture_is_used(live_server, tab):
    image = make_image()
    story = make_article(headline="Floods in Valencia", lead_image=image)
    log_in(tab, live_server.url, make_user(EDITOR))
    tab.goto(f"{live_server.url}/admin/media/image/{image.pk}/delete/")
    notice = tab.locator("#picture-in-use")
    expect(notice).to_contain_text("This picture is used by:")
    link = notice.locator("a", has_text="Floods in Valencia")
    expect(link).to_have_attribute("href", f"/admin/articles/article/{story.pk}/change/")
    expect(tab.locator("input[type=submit]")).to_have_count(0)
    link.click()
    expect(tab.locator("#id_headline")).to_have_value("Floods in Valencia")
