"""Our side of the editorial-speed benchmark (devtools/desk_speed.py): the desk's selectors (OURS)
and the five tasks done in today's desk as staff do them: the story form's side panel, the
sticky bar's *Save and submit* on a new story, a picture uploaded in the body through the
credit dialog and then picked as the lead picture by its thumbnail, the workflow panel's steps
(*Schedule without email* where the section has a newsletter, as Wagtail sends none)."""

from playwright.sync_api import expect

from devtools.desk_speed import SCHEDULE_AT, STORY, Person

# Our desk, by what staff read on the page.
OURS = {
    "add_story": "#content-main a[href$='/articles/article/add/']",
    "story_list": "#content-main a[href$='/articles/article/']:not([href*='add'])",
    "headline": "#id_headline",
    "dek": "#id_dek",
    "body": ".field-body .ck-editor__editable",
    "upload_picture": ".field-body .ck-toolbar [data-cke-tooltip-text^='Upload image']",
    "picture_dialog": "#picture-credit-dialog",
    "picture_fields": {
        "credit": "#picture-credit",
        "caption": "#picture-caption",
        "alt": "#picture-alt",
    },  # fmt: skip
    "place_picture": "Place the picture",
    "placed": ".field-body .ck-editor__editable figure.image",
    "choose_lead": "#id_lead_image_choose",
    "lead_result": ".lead-picture-results .lead-picture-result",
    "lead_chosen": "#id_lead_image_chosen",
    "section": "#id_section",
    "series": "#id_series",
    "add_byline": "Add another Byline",
    "byline_author": "#id_bylines-{n}-author",
    "byline_rows": "#bylines-group select[name$='-author']:not([name*='__prefix__'])",
    "bar_step": "#desk-bar button[name=_step][value={step}]",
    "save": "input[name=_save]",
    "step": "#workflow-panel button[name=_step][value={step}]",
    "step_comment": "#workflow-panel [name=_comment_{step}]",
    "step_at": "input[name=_step_at]",
    "home_search": "#desk-home-q",
    "home_search_button": ".desk-home-search input[type=submit]",
    "search": "#searchbar",
    "search_button": "#changelist-search input[type=submit]",
    "result": "#result_list a",
    "corrections": "#panel-corrections",
    "add_correction": "Add another Correction or update",
    "correction_text": "#corrections-group textarea[name$='-text']:visible",
    "status": "#workflow-panel h2",
}


def log_in_ours(page, base_url: str, username: str, password: str) -> None:
    """Sign in to our desk (not counted: both systems start signed in)."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#content-main")).to_be_visible()


def ours_home(person: Person, base_url: str) -> None:
    """Where each of our tasks starts: the person's desk home."""
    person.page.goto(f"{base_url}/admin/")
    expect(person.page.locator(OURS["story_list"]).first).to_be_visible()


def ours_home_search(person: Person, words: str) -> None:
    """The desk home's *Find a story* box: the story list searched for the words."""
    page, s = person.page, OURS
    person.type(page.locator(s["home_search"]), words)
    person.click(page.locator(s["home_search_button"]))
    expect(page.locator(s["search"])).to_have_value(words)


def ours_open_by_search(person: Person, words: str, headline: str | None = None) -> None:
    """From the desk home: its search box, then the story in the list it opens."""
    page, s = person.page, OURS
    ours_home_search(person, words)
    person.click(page.locator(s["result"], has_text=headline or words).first)
    expect(page.locator(s["status"])).to_be_visible()


def ours_picture(person: Person, picture: str) -> None:
    """Upload a picture from the body's toolbar, credit it in the dialog, then pick it as the
    lead picture: the library lists the newest first, with its thumbnail and caption."""
    page, s = person.page, OURS
    person.choose_file_with(page.locator(s["upload_picture"]).first, picture)
    dialog = page.locator(s["picture_dialog"])
    for name, css in s["picture_fields"].items():
        person.type(dialog.locator(css), STORY[name])
    person.click(dialog.get_by_role("button", name=s["place_picture"]))
    expect(dialog).to_have_count(0)
    expect(page.locator(s["placed"])).to_have_count(1)
    person.click(page.locator(s["choose_lead"]))
    person.click(page.locator(s["lead_result"], has_text=STORY["caption"]).first)
    expect(page.locator(s["lead_chosen"])).to_contain_text(STORY["credit"])


def ours_file(person: Person, headline: str, picture: str, authors: list[str], section: str,
              series: str) -> None:  # fmt: skip
    """Task 1 as a contributor: a new story, a picture uploaded and credited as its lead,
    a second byline (the writer's own is there already), submitted in one click."""
    page, s = person.page, OURS
    person.click(page.locator(s["add_story"]).first)
    person.type(page.locator(s["headline"]), headline)
    person.type(page.locator(s["dek"]), STORY["dek"])
    person.click(page.locator(s["body"]))
    page.keyboard.type(STORY["body"])
    ours_picture(person, picture)
    person.autocomplete(s["section"], section)
    person.autocomplete(s["series"], series)
    rows = page.locator(s["byline_rows"])
    named = {rows.nth(n).locator("option:checked").text_content() for n in range(rows.count())}
    for author in authors:
        if author in named:
            continue
        empty = [n for n in range(rows.count()) if not rows.nth(n).input_value()]
        if not empty:
            person.click(page.get_by_text(s["add_byline"]))
            empty = [rows.count() - 1]
        person.autocomplete(s["byline_author"].format(n=empty[0]), author)
    person.click(page.locator(s["bar_step"].format(step="submit")))
    expect(page.locator(s["status"])).to_contain_text("Submitted")


def ours_return(person: Person, headline: str) -> None:
    """Task 2 as an editor: find the story by its headline and return it with a comment."""
    page, s = person.page, OURS
    ours_open_by_search(person, headline)
    person.type(page.locator(s["step_comment"].format(step="return")), STORY["comment"])
    person.click(page.locator(s["step"].format(step="return")))
    expect(page.locator(s["status"])).to_contain_text("Returned")


def ours_resubmit(person: Person, headline: str) -> None:
    """Between tasks 2 and 3 (not measured): the writer submits the story again."""
    ours_open_by_search(person, headline)
    person.click(person.page.locator(OURS["step"].format(step="submit")))
    expect(person.page.locator(OURS["status"])).to_contain_text("Submitted")


def ours_schedule(person: Person, headline: str) -> None:
    """Task 3 as a publisher: approve, then schedule with a time, without email."""
    page, s = person.page, OURS
    ours_open_by_search(person, headline)
    person.click(page.locator(s["step"].format(step="approve")))
    expect(page.locator(s["status"])).to_contain_text("Approved")
    person.type(page.locator(s["step_at"]), SCHEDULE_AT)
    person.click(page.locator(s["step"].format(step="schedule")))
    expect(page.locator(s["status"])).to_contain_text("Scheduled")


def ours_correct(person: Person, headline: str) -> None:
    """Task 4 as a publisher: mend the body of a live story and add a correction note (the
    side panel's *Corrections* group is open on a live story; opened only if it is not)."""
    page, s = person.page, OURS
    ours_open_by_search(person, headline)
    person.click(page.locator(s["body"]))
    page.keyboard.press("Control+End")
    page.keyboard.type(" The talks took place on Tuesday.")
    group = page.locator(s["corrections"])
    if group.get_attribute("open") is None:
        person.click(group.locator("summary"))
    person.click(page.get_by_text(s["add_correction"]))
    person.type(page.locator(s["correction_text"]).last, STORY["correction"])
    person.click(page.locator(s["save"]))
    expect(page.locator(".messagelist .success")).to_be_visible()


def ours_find(person: Person, phrase: str, author: str, headline: str) -> None:
    """Task 5 as an editor: the desk home's search box by a phrase of the body, then the story
    list's by an author."""
    page, s = person.page, OURS
    ours_home_search(person, phrase)
    expect(page.locator(s["result"], has_text=headline).first).to_be_visible()
    person.type(page.locator(s["search"]), author)
    person.click(page.locator(s["search_button"]))
    expect(page.locator(s["result"], has_text=headline).first).to_be_visible()
