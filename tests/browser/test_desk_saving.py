"""The story form's buttons act on what is typed, a refused save shows the other person's
change, and pending changes stay off the public site until published: through the real form
in Chromium, typing into CKEditor, as each role."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from articles import services
from articles.models import Article, Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from tests.browser.staff import (
    log_in,
    open_page,
    open_story,
    story_url,
    type_in_body,
)
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_save_and_submit_submits_the_typed_change(live_server, tab):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Ferry strike", dek="Old dek")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    tab.fill("#id_dek", "A dek typed just before submitting")
    type_in_body(tab, " A sentence typed in the editor.")
    tab.fill("input[name=_comment_submit]", "Ready for a read")
    tab.click("button[name=_step][value=submit]")
    expect(tab.locator(".messagelist")).to_contain_text("is now submitted")
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED
    assert story.dek == "A dek typed just before submitting"
    assert "A sentence typed in the editor." in story.body
    assert story.transitions.get().comment == "Ready for a read"


def test_save_and_submit_with_an_invalid_field_keeps_everything_typed(live_server, tab):
    writer = make_user(CONTRIBUTOR)
    story = make_article(created_by=writer, headline="Ferry strike")
    log_in(tab, live_server.url, writer)
    open_story(tab, story_url(live_server.url, story))
    tab.fill("#id_headline", "")
    tab.fill("#id_dek", "A dek worth keeping")
    type_in_body(tab, " Words worth keeping.")
    tab.click("button[name=_step][value=submit]")
    expect(tab.locator(".errornote")).to_be_visible()
    expect(tab.locator("#id_dek")).to_have_value("A dek worth keeping")
    expect(tab.locator(".field-body .ck-editor__editable")).to_contain_text("Words worth keeping.")
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.dek == ""
    assert not story.transitions.exists()


def test_a_publish_that_is_refused_undoes_the_save_and_keeps_the_text(live_server, tab):
    publisher = make_user(PUBLISHER)
    story = make_article(status=Status.APPROVED, headline="Grain deal")
    story.bylines.all().delete()  # publishing needs a byline
    log_in(tab, live_server.url, publisher)
    open_story(tab, story_url(live_server.url, story))
    tab.fill("#id_headline", "Grain deal collapses")
    tab.click("button[name=_step][value=publish]")
    expect(tab.locator(".errornote, .errorlist")).to_contain_text(["needs at least one author"])
    expect(tab.locator("#id_headline")).to_have_value("Grain deal collapses")
    story.refresh_from_db()
    assert story.status == Status.APPROVED and story.headline == "Grain deal"


def test_a_conflict_shows_the_other_persons_change_and_needs_a_choice(live_server, browser, tab):
    first, second = make_user(EDITOR), make_user(EDITOR)
    second.first_name, second.last_name = "Priya", "Raman"
    second.save()
    story = make_article(headline="Talks resume in Geneva", dek="Original dek")
    services.save_article(article=story, user=first)
    url = story_url(live_server.url, story)
    log_in(tab, live_server.url, first)
    open_story(tab, url)  # opened before the other editor saves

    other = browser.new_context(viewport={"width": 1366, "height": 900})
    their_tab, their_errors = open_page(other)
    log_in(their_tab, live_server.url, second)
    open_story(their_tab, url)
    their_tab.fill("#id_headline", "Talks resume in Geneva after a week")
    their_tab.click("input[name=_save]")
    expect(their_tab.locator(".messagelist")).to_be_visible()
    other.close()
    assert their_errors == []

    tab.fill("#id_dek", "My dek")
    tab.click("input[name=_save]")
    conflict = tab.locator("#conflict")
    expect(conflict).to_contain_text("Priya Raman saved this story")
    expect(conflict.locator("ins")).to_have_text("after a week")
    expect(tab.locator("#id_dek")).to_have_value("My dek")  # mine, kept
    # Saving again as it is would revert their headline: refused again (a new page, like the
    # one already shown: wait for it, or the next clicks land on the page being left).
    with tab.expect_navigation():
        tab.click("input[name=_save]")
    expect(tab.locator("#conflict")).to_be_visible()
    assert Article.objects.get(pk=story.pk).headline == "Talks resume in Geneva after a week"
    # Use theirs, then save: both changes are in.
    tab.click("#conflict button.use-theirs[data-field=headline]")
    expect(tab.locator("#id_headline")).to_have_value("Talks resume in Geneva after a week")
    tab.click("input[name=_save]")
    expect(tab.locator(".messagelist .success")).to_be_visible()
    story.refresh_from_db()
    assert (story.headline, story.dek) == ("Talks resume in Geneva after a week", "My dek")


def test_pending_changes_reach_readers_only_when_a_publisher_publishes_them(
    live_server, browser, tab, settings
):
    settings.PAGE_CACHE = True
    editor, publisher = make_user(EDITOR), make_user(PUBLISHER)
    live = make_article(status=Status.PUBLISHED, headline="Ceasefire holds", slug="ceasefire")
    reader = Client()
    page_url = live.get_absolute_url()
    for _ in range(3):  # the first page ever rendered creates the site settings' row
        reader.get(page_url)
    assert reader.get(page_url)["X-Cache"] == "hit"

    log_in(tab, live_server.url, editor)
    open_story(tab, story_url(live_server.url, live))
    tab.fill("#id_headline", "Ceasefire holds, barely")
    type_in_body(tab, " A paragraph for review.")
    tab.click("button[name=_pending]")
    expect(tab.locator("#pending-notice")).to_contain_text("Pending changes")
    changes = live.pending_changes.get()
    for response in (reader.get(page_url), Client().get(page_url)):
        assert "Ceasefire holds, barely" not in response.content.decode()
    assert reader.get(page_url)["X-Cache"] == "hit"  # the cached page was not touched
    assert "Ceasefire holds, barely" not in reader.get("/").content.decode()
    # The editor's preview shows the changes.
    tab.goto(f"{live_server.url}/admin/articles/article/{changes.pk}/preview/")
    expect(tab.locator("h1")).to_have_text("Ceasefire holds, barely")

    desk = browser.new_context(viewport={"width": 1366, "height": 900})
    desk_tab, desk_errors = open_page(desk)
    log_in(desk_tab, live_server.url, publisher)
    open_story(desk_tab, story_url(live_server.url, changes))
    desk_tab.click("#workflow-panel a:has-text('Publish changes')")  # what they change, first
    desk_tab.click("input[name=_confirm]")
    expect(desk_tab.locator(".messagelist .success")).to_contain_text("Published the pending")
    desk.close()
    assert desk_errors == []
    body = reader.get(page_url).content.decode()
    assert "Ceasefire holds, barely" in body and "A paragraph for review." in body
    assert not Article.objects.filter(pk=changes.pk).exists()
