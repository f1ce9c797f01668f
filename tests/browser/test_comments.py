"""Comments where the work is, in Chromium, as staff work: an editor comments on a passage and
on a field, the writer sees them in place, answers and resolves; a story returned with a
comment shows it at the top until the writer resolves it. No JavaScript or CSP error on any
page, and nothing of a comment in the saved body."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Status
from articles.roles import CONTRIBUTOR, EDITOR
from desk import comments
from desk.models import Comment
from tests.browser.staff import log_in, open_page, open_story, story_url
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]

BODY = "<p>The council met on Tuesday.</p><p>The mayor said the stadium would not be built.</p>"


def _person(role, first, last):
    user = make_user(role)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def _desk_tab(browser, width=1366):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page, errors = open_page(context)
    return context, page, errors


def _open_with_comments(page, url):
    open_story(page, url)
    expect(page.locator("#desk-comments[data-ready=true]")).to_have_count(1)


def test_an_editor_comments_on_a_passage_and_the_writer_answers_and_resolves_it(
    live_server, browser
):
    writer = _person(CONTRIBUTOR, "Wanda", "Writer")
    editor = _person(EDITOR, "Eddie", "Editor")
    story = make_article(created_by=writer, headline="Stadium plans", body=BODY)
    url = story_url(live_server.url, story)

    editor_context, desk, editor_errors = _desk_tab(browser)
    log_in(desk, live_server.url, editor)
    _open_with_comments(desk, url)
    passage_button = desk.get_by_role("button", name="Comment on the selected words")
    expect(passage_button).to_be_disabled()
    # Select the second paragraph with the keyboard, as a person does.
    desk.locator(".field-body .ck-editor__editable p", has_text="The mayor said").click()
    desk.keyboard.press("End")
    desk.keyboard.press("Shift+Home")
    expect(passage_button).to_be_enabled()
    passage_button.click()
    expect(desk.locator("#desk-comment-target")).to_contain_text("The mayor said the stadium")
    desk.fill("#desk-comment-text", "Who told you? We need a second source.")
    desk.get_by_role("button", name="Add comment").click()
    mark = desk.locator(".field-body .ck-editor__editable .desk-comment-mark")
    expect(mark).to_have_text("The mayor said the stadium would not be built.")
    expect(desk.locator(".desk-comment-thread")).to_contain_text("We need a second source.")

    desk.get_by_role("button", name="Comment on Headline").click()
    desk.fill("#desk-comment-text", "Say which stadium.")
    desk.get_by_role("button", name="Add comment").click()
    expect(desk.locator(".desk-comment-thread")).to_have_count(2)
    # Saving the story after commenting leaves the body exactly as it was.
    desk.click("input[name=_continue]")
    expect(desk.locator(".messagelist")).to_be_visible()
    assert Article.objects.get(pk=story.pk).body == BODY
    desk.goto("about:blank")  # the editor leaves the story while the writer works

    writer_context, tab, writer_errors = _desk_tab(browser)
    log_in(tab, live_server.url, writer)
    _open_with_comments(tab, url)
    mark = tab.locator(".field-body .ck-editor__editable .desk-comment-mark")
    expect(mark).to_have_text("The mayor said the stadium would not be built.")
    expect(tab.locator(".desk-comment-field-button[data-field=headline]")).to_have_text(
        "Comments (1)"
    )
    mark.click()
    thread = tab.locator(".desk-comment-thread.is-active")
    expect(thread).to_contain_text("Eddie Editor")
    expect(thread).to_contain_text("We need a second source.")
    thread.get_by_label("Reply").fill("The mayor's office confirmed it in writing.")
    thread.get_by_role("button", name="Send reply").click()
    thread = tab.locator(".desk-comment-thread", has_text="second source")
    expect(thread).to_contain_text("Wanda Writer")
    expect(thread).to_contain_text("confirmed it in writing")
    thread.get_by_role("button", name="Resolve").click()
    expect(tab.locator(".desk-comment-thread", has_text="second source")).to_have_count(0)
    expect(tab.locator(".desk-comment-mark")).to_have_count(0)
    expect(tab.locator(".desk-comments-count")).to_have_text("(1 open)")
    tab.goto("about:blank")

    _open_with_comments(desk, url)
    expect(desk.locator(".desk-comment-mark")).to_have_count(0)
    desk.get_by_label("Show resolved comments").check()
    resolved = desk.locator(".desk-comment-thread.is-resolved")
    expect(resolved).to_contain_text("Resolved by Wanda Writer")
    expect(resolved).to_contain_text("The mayor's office confirmed it in writing.")
    assert Article.objects.get(pk=story.pk).body == BODY
    desk.goto("about:blank")
    editor_context.close()
    writer_context.close()
    assert editor_errors == [] and writer_errors == []


def test_a_return_comment_stays_at_the_top_of_the_story_until_the_writer_resolves_it(
    live_server, browser
):
    writer = _person(CONTRIBUTOR, "Wanda", "Writer")
    editor = _person(EDITOR, "Eddie", "Editor")
    story = make_article(created_by=writer, headline="Bridge closure", status=Status.SUBMITTED)
    url = story_url(live_server.url, story)
    comment = "Check the closure dates with the city.\nAnd add the detour map."

    editor_context, desk, editor_errors = _desk_tab(browser)
    log_in(desk, live_server.url, editor)
    open_story(desk, url)
    box = desk.get_by_label("What should the writer change? (required)")
    expect(box).to_be_visible()
    assert box.evaluate("node => node.tagName") == "TEXTAREA"
    box.fill(comment)
    desk.get_by_role("button", name="Save and return to writer").click()
    expect(desk.locator(".messagelist")).to_contain_text("is now returned")
    desk.goto("about:blank")

    # The writer works on a phone: the note is there too, and nothing runs off the screen.
    writer_context, tab, writer_errors = _desk_tab(browser, width=390)
    log_in(tab, live_server.url, writer)
    _open_with_comments(tab, url)
    note = tab.locator(".desk-return-note")
    expect(note).to_contain_text("Eddie Editor returned this story")
    expect(note).to_contain_text("Check the closure dates with the city.")
    expect(note).to_contain_text("And add the detour map.")
    assert note.bounding_box()["y"] < tab.locator("#workflow-panel").bounding_box()["y"]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    note.get_by_label("Your reply").fill("Dates checked; the map is in.")
    note.get_by_role("button", name="Reply").click()
    expect(tab.locator(".desk-return-note")).to_contain_text("Dates checked; the map is in.")
    _open_with_comments(tab, url)  # still there on the next visit: it is not resolved yet
    tab.locator(".desk-return-note").get_by_role("button", name="Resolve: it is done").click()
    expect(tab.locator("#desk-comments[data-ready=true]")).to_have_count(1)
    expect(tab.locator(".desk-return-note")).to_have_count(0)
    tab.get_by_label("Show resolved comments").check()
    expect(tab.locator(".desk-comment-thread.is-resolved")).to_contain_text(
        "Returned to the writer"
    )
    assert Comment.objects.get(parent=None).resolved_by == writer
    tab.goto("about:blank")
    editor_context.close()
    writer_context.close()
    assert editor_errors == [] and writer_errors == []


def test_a_writer_who_may_not_edit_the_story_still_sees_the_passage_marked(live_server, tab):
    writer = _person(CONTRIBUTOR, "Wanda", "Writer")
    editor = _person(EDITOR, "Eddie", "Editor")
    story = make_article(created_by=writer, status=Status.SUBMITTED, body=BODY)
    comments.add_comment(
        article=story, user=editor, text="Second source?", quote="the stadium", before="said "
    )
    log_in(tab, live_server.url, writer)
    tab.goto(story_url(live_server.url, story))
    expect(tab.locator("#desk-comments[data-ready=true]")).to_have_count(1)
    mark = tab.locator(".field-body_as_read mark.desk-comment-mark")
    expect(mark).to_have_text("the stadium")
    mark.click()
    thread = tab.locator(".desk-comment-thread.is-active")
    expect(thread).to_contain_text("Second source?")
    thread.get_by_label("Reply").fill("Two council members, on the record.")
    thread.get_by_role("button", name="Send reply").click()
    expect(tab.locator(".desk-comment-thread")).to_contain_text("on the record")
    tab.goto("about:blank")
