"""The Wagtail peer's side of the editorial-speed benchmark (devtools/desk_speed.py): its
admin's selectors (WAGTAIL) and the five tasks done there as its editors do them."""

import re
import time

from playwright.sync_api import expect

from devtools.desk_speed import SCHEDULE_AT, STORY, Person

# The Wagtail peer's admin, by what its editors read on the page.
WAGTAIL = {
    "pages": "main a[href='/admin/pages/3/']",
    "explore_section": "Explore child pages of '{section}'",
    "add_child": "Add child page",
    "title": "#id_title",
    "dek": "#id_dek",
    "date": "#id_date",
    "body": "#panel-child-content-body-section [contenteditable=true]",
    "choose_image": "Choose an image",
    "upload_tab": "#tab-label-upload",
    "upload": "#id_image-chooser-upload-file",
    "upload_title": "#id_image-chooser-upload-title",
    "upload_description": "#id_image-chooser-upload-description",
    "upload_button": ".modal-content button[type=submit]",
    "caption": "#id_lead_image_caption",
    "credit": "#id_lead_image_credit",
    "choose_author": "Choose author",
    "add_author": "#id_article_authors-ADD",
    "choose_series": "Choose series",
    "chooser_result": ".modal-content table a",
    "more_actions": "More actions",
    "submit": "Submit to Moderators approval",
    "resubmit": "Resubmit to Moderators approval",
    "request_changes": "Request changes",
    "approve": re.compile("^Approve( and publish)?$", re.IGNORECASE),
    "publish": "Publish",
    "comment": ".modal-content textarea",
    "modal_submit": ".modal-content button[type=submit], .modal-content input[type=submit]",
    "search": "#menu-search-q",
    "search_button": "form[role=search] button[type=submit], #menu-search button",
    "result": "main table a",
    "status_toggle": "button[aria-label='Toggle status']",
    "set_schedule": re.compile("(Set|Edit) schedule"),
    "go_live": "#id_go_live_at",
    "save_schedule": "Save schedule",
    "message": ".messages .success, .messages li",
}


def log_in_wagtail(page, base_url: str, username: str, password: str) -> None:
    """Sign in to the Wagtail admin (not counted: both systems start signed in)."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator("main")).to_be_visible()


def wagtail_home(person: Person, base_url: str) -> None:
    """Where each Wagtail task starts: the dashboard."""
    person.page.goto(f"{base_url}/admin/")
    expect(person.page.locator(WAGTAIL["search"])).to_be_attached()


def wagtail_choose(person: Person, opener, name: str | None = None) -> None:
    """A Wagtail chooser: open its modal, click the item (by name, else the first)."""
    page, s = person.page, WAGTAIL
    person.click(opener)
    results = page.locator(s["chooser_result"])
    person.click((results.filter(has_text=name) if name else results).first)
    expect(page.locator(".modal-content")).to_have_count(0)


def wagtail_action(person: Person, label: str) -> None:
    """A step from the footer's "More actions" menu."""
    page = person.page
    person.click(page.get_by_role("button", name=WAGTAIL["more_actions"]))
    person.click(page.get_by_role("button", name=label, exact=True))


def wagtail_open_by_search(person: Person, words: str, headline: str | None = None) -> None:
    """From the dashboard: the admin's search, then the page."""
    page, s = person.page, WAGTAIL
    person.type(page.locator(s["search"]), words)
    person.click(page.locator(s["search_button"]).first)
    person.click(page.locator(s["result"], has_text=headline or words).first)
    expect(page.locator(s["title"])).to_be_visible()


def wagtail_file(person: Person, headline: str, picture: str, authors: list[str], section: str,
                 series: str) -> None:  # fmt: skip
    """Task 1 as a writer: a new article page, its picture uploaded, submitted for moderation."""
    page, s = person.page, WAGTAIL
    person.click(page.locator(s["pages"]).first)
    person.click(page.get_by_role("link", name=s["explore_section"].format(section=section)))
    person.click(page.get_by_role("link", name=s["add_child"]))
    page.locator(s["title"]).press_sequentially(headline)  # keystrokes, so the slug follows
    person.type(page.locator(s["dek"]), STORY["dek"])
    person.type(page.locator(s["date"]), time.strftime("%Y-%m-%d %H:%M"))
    page.keyboard.press("Escape")
    person.click(page.get_by_role("button", name=s["choose_image"]))
    person.click(page.locator(s["upload_tab"]))
    person.choose_file(page.locator(s["upload"]), picture)
    person.type(page.locator(s["upload_title"]), STORY["picture_title"])
    if page.locator(s["upload_description"]).count():
        person.type(page.locator(s["upload_description"]), STORY["alt"])
    person.click(page.locator(s["upload_button"]).first)
    expect(page.locator(".modal-content")).to_have_count(0)
    person.type(page.locator(s["caption"]), STORY["caption"])
    person.type(page.locator(s["credit"]), STORY["credit"])
    for n, author in enumerate(authors):
        if n:
            person.click(page.locator(s["add_author"]))
        opener = page.locator("button:visible", has_text=s["choose_author"]).last
        wagtail_choose(person, opener, author)
    person.click(page.locator(s["body"]))
    page.keyboard.type(STORY["body"])
    wagtail_choose(person, page.get_by_role("button", name=s["choose_series"]), series)
    wagtail_action(person, s["submit"])
    expect(page.locator(s["message"]).first).to_contain_text("submitted")


def wagtail_return(person: Person, headline: str) -> None:
    """Task 2 as a moderator: find the page by its title, request changes with a comment."""
    page, s = person.page, WAGTAIL
    wagtail_open_by_search(person, headline)
    wagtail_action(person, s["request_changes"])
    person.type(page.locator(s["comment"]), STORY["comment"])
    person.click(page.locator(s["modal_submit"]).first)
    expect(page.locator(s["message"]).first).to_be_visible()


def wagtail_resubmit(person: Person, headline: str) -> None:
    """Between tasks 2 and 3 (not measured): the writer submits the page again."""
    wagtail_open_by_search(person, headline)
    wagtail_action(person, WAGTAIL["resubmit"])
    expect(person.page.locator(WAGTAIL["message"]).first).to_be_visible()


def wagtail_schedule(person: Person, headline: str) -> None:
    """Task 3 as a moderator: set a go-live time, then approve (which publishes, scheduled)."""
    page, s = person.page, WAGTAIL
    wagtail_open_by_search(person, headline)
    set_schedule = page.get_by_role("button", name=s["set_schedule"])
    if not set_schedule.is_visible():  # Wagtail remembers whether the status panel was open
        person.click(page.locator(s["status_toggle"]).first)
    person.click(set_schedule)
    person.type(page.locator(s["go_live"]), SCHEDULE_AT.replace("T", " "))
    # Its date picker covers the dialog's button; leaving the field closes it (not counted).
    page.locator(s["go_live"]).evaluate("field => field.blur()")
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    # The picker may still cover the button as it fades: the button is pressed in the page.
    person.meter.clicks += 1
    page.get_by_role("button", name=s["save_schedule"]).evaluate("button => button.click()")
    wagtail_action(person, s["approve"])
    expect(page.locator(s["message"]).first).to_be_visible()


def wagtail_correct(person: Person, headline: str) -> None:
    """Task 4 as a moderator: mend the body of a live page, a correction paragraph, publish."""
    page, s = person.page, WAGTAIL
    wagtail_open_by_search(person, headline)
    person.click(page.locator(s["body"]))
    page.keyboard.press("Control+End")
    page.keyboard.type(" The talks took place on Tuesday.")
    page.keyboard.press("Enter")
    page.keyboard.type("Correction: " + STORY["correction"])
    wagtail_action(person, s["publish"])
    expect(page.locator(s["message"]).first).to_contain_text("published")


def wagtail_find(person: Person, phrase: str, author: str, headline: str) -> bool:
    """Task 5: the admin's search by a phrase of the body, then by an author's name; whether
    both found the page (the admin searches pages as `Page`, by title, so they may not)."""
    page, s = person.page, WAGTAIL
    found = True
    for words in (phrase, author):
        person.type(page.locator(s["search"]), words)
        with page.expect_navigation():
            person.click(page.locator(s["search_button"]).first)
        found = found and page.locator(s["result"], has_text=headline).count() > 0
    return found
