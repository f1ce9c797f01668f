"""Retake the desk screenshots in docs/desk.md from a running demo (`make run` elsewhere):
each role's desk home; the story form at 1366 and 390 px; a comment on a passage; the publish
step naming the newsletter it emails; the picture dialog asking for a credit; a story's
history and a compare of two versions; the story list and the calendar at 1366 and 390 px.

.venv/bin/python docs/screenshots/take_desk_screenshots.py [http://127.0.0.1:8000] [logins.json]

The demo's staff logins are in var/demo-logins.json (written by `load_demo`); the picture
dialog is shown one of the demo's pictures from var/uploads/images. Taking the shots changes
the demo once (a second run finds it done): a comment on a passage of the submitted story, and
the approved story saved into the Diplomacy Watch series, whose newsletter it would then email.
"""

from pathlib import Path

from desk_shots import (
    BASE,
    CHROMIUM_ARGS,
    LAPTOP,
    PHONE,
    PROBLEMS,
    comment_on_passage,
    open_page,
    open_story,
    put_in_series,
    scroll_to,
    shot,
    story_url,
)
from playwright.sync_api import sync_playwright

LEAD = "Diplomacy Watch: Ukraine and Russia are (quietly) talking"  # live, in a series
SUBMITTED = "Gulf mediators step into prisoner talks"
RETURNED = "Insurers edge back into the Black Sea grain corridor"
APPROVED = "NATO summit host city braces for protests"
SERIES = "Diplomacy Watch"  # the demo's series with a newsletter


def desk_homes(browser) -> None:
    for role in ("contributor", "editor", "publisher"):
        page = open_page(browser, role)
        page.goto(f"{BASE}/admin/")
        shot(page, f"desk-{role}", full_page=True)
        page.close()


def story_form(browser) -> None:
    """The lead story as an editor, from the sticky bar down: at 1366 px the writing column
    beside the side panel; at 390 px one column."""
    page = open_page(browser, "editor")
    url = story_url(page, LEAD)
    open_story(page, url)
    scroll_to(page, "#desk-bar")
    shot(page, "story-form")
    page.set_viewport_size(PHONE)
    open_story(page, url)
    scroll_to(page, "#desk-bar")
    shot(page, "story-form-phone")
    page.close()


def comments(browser) -> None:
    """A comment on a passage of the submitted story: the comments panel with the thread
    open, down to the body with the passage highlighted."""
    page = open_page(browser, "editor")
    url = story_url(page, SUBMITTED)
    open_story(page, url)
    comment_on_passage(page, "prisoner", "Which prisoners? Name the two governments here.")
    open_story(page, url)  # as a colleague opening the story finds it
    page.locator(".ck-editor [data-comment]").first.click()
    page.wait_for_timeout(300)
    shot(page, "comments", element="#desk-comments", down_to=".field-body")
    page.close()


def publish_step_and_history(browser) -> None:
    """The approved story, put in the series: its publish step names the email, and a compare
    of the demo's version with the save. The history of the returned story, in words."""
    page = open_page(browser, "publisher")
    url = story_url(page, APPROVED)
    open_story(page, url)
    put_in_series(page, SERIES)
    shot(page, "publish-email", element="#workflow-panel")
    page.goto(url.replace("/change/", "/history/"))
    page.get_by_role("button", name="Compare the ticked versions").click()
    shot(page, "compare", full_page=True)
    page.goto(story_url(page, RETURNED).replace("/change/", "/history/"))
    shot(page, "history", full_page=True)
    page.close()


def picture_dialog(browser) -> None:
    """The editor's picture button with a file chosen: the dialog asking for its credit."""
    picture = next(Path("var/uploads/images").rglob("*.jpg"))
    page = open_page(browser, "editor")
    open_story(page, story_url(page, SUBMITTED))
    page.locator(".ck-editor input[type=file]").first.set_input_files(picture)
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    page.wait_for_timeout(300)  # the thumbnail
    shot(page, "picture-credit")
    dialog.locator(".picture-credit-cancel").click()  # nothing placed, nothing stored
    page.close()


def story_list_and_calendar(browser) -> None:
    page = open_page(browser, "editor")
    for suffix, viewport in (("", LAPTOP), ("-phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{BASE}/admin/articles/article/")
        shot(page, f"story-list{suffix}", full_page=not suffix)
        page.goto(f"{BASE}/admin/desk/calendar/")
        shot(page, f"calendar{suffix}", full_page=not suffix)
    page.close()


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    desk_homes(browser)
    story_form(browser)
    comments(browser)
    publish_step_and_history(browser)
    picture_dialog(browser)
    story_list_and_calendar(browser)
    browser.close()
for problem in PROBLEMS:
    print("JavaScript error:", problem)
