"""The editorial-speed benchmark's tasks (`make bench-desk`): the same five jobs done in our desk
and in the Wagtail peer's admin (/work/shared/peers/wagtail_news) by a headless Chromium, as a
person would, from the desk home or the Wagtail dashboard, clicking through.

Counted per task: clicks (each click, check, select_option and file choice the script makes;
typing is not a click, and a search is sent with its button, not Enter), page loads (main-frame
navigations answered by the server, popups and form POSTs included, redirects once) and server
time (for every document, XHR and fetch request, the browser's time from sending the request to
the first byte of the answer). Each system's selectors sit in one table (OURS, WAGTAIL), so a
change of the desk's UI is one edit here.
"""

import re
import statistics
import time
from dataclasses import dataclass

from playwright.sync_api import expect

TASKS = [
    (
        "file",
        "File a story with an uploaded credited picture, two bylines, section, series; submit",
    ),
    ("return", "Find it (story list search) and return it with a comment"),
    ("schedule", "Approve and schedule it"),
    ("correct", "Correct a live story with a correction note"),
    ("find", "Find a story by a phrase from its body, then by an author's name"),
]

# The content every run files, the same in both systems.
STORY = {
    "dek": "Envoys met in Geneva for a fourth round; both sides called the meeting useful.",
    "body": "Negotiators from both capitals met behind closed doors on Tuesday.",
    "picture_title": "Geneva talks",
    "alt": "Two delegations at a long table",
    "caption": "Delegations at the Geneva talks.",
    "credit": "Photo: Ana Ruiz / Newsroom",
    "comment": "Please name the second envoy and source the quote.",
    "correction": "An earlier version of this story misstated the date of the talks.",
}
SCHEDULE_AT = "2031-03-14T09:30"

# Our desk, by what staff read on the page.
OURS = {
    "add_story": "#content-main a[href$='/articles/article/add/']",
    "story_list": "#content-main a[href$='/articles/article/']:not([href*='add'])",
    "headline": "#id_headline",
    "dek": "#id_dek",
    "body": ".field-body .ck-editor__editable",
    "section": "#id_section",
    "series": "#id_series",
    "add_lead_image": "#add_id_lead_image",
    "upload": "#id_upload",
    "picture_fields": {
        "title": "#id_title",
        "alt": "#id_alt_text",
        "caption": "#id_caption",
        "credit": "#id_credit",
    },  # fmt: skip
    "picture_save": "input[name=_save]",
    "add_byline": "Add another Byline",
    "byline_author": "#id_bylines-{n}-author",
    "save_continue": "input[name=_continue]",
    "save": "input[name=_save]",
    "step": "button[name=_step][value={step}]",
    "step_comment": "input[name=_comment_{step}]",
    "step_at": "input[name=_step_at]",
    "search": "#searchbar",
    "search_button": "#changelist-search input[type=submit]",
    "result": "#result_list a",
    "add_correction": "Add another Correction or update",
    "correction_text": "#corrections-group textarea[name$='-text']:visible",
    "status": "#workflow-panel h2",
}


@dataclass
class Meter:
    """Clicks, page loads and server time of one task, counted while `on`."""

    clicks: int = 0
    loads: int = 0
    server_ms: float = 0.0
    on: bool = False

    def watch(self, context) -> None:
        """Count what every tab and popup of this browser context loads."""
        context.on("response", self._response)
        context.on("requestfinished", self._finished)

    def _response(self, response) -> None:
        request = response.request
        if not self.on or not request.is_navigation_request() or 300 <= response.status < 400:
            return
        try:
            top = request.frame.parent_frame is None
        except Exception:  # a popup's first page comes before its frame: a top-level load
            top = True
        if top:
            self.loads += 1

    def _finished(self, request) -> None:
        if not self.on or request.resource_type not in {"document", "xhr", "fetch"}:
            return
        timing = request.timing
        if timing["requestStart"] >= 0 and timing["responseStart"] >= timing["requestStart"]:
            self.server_ms += timing["responseStart"] - timing["requestStart"]

    def figures(self) -> dict:
        """Clicks, page loads and server milliseconds, as whole numbers."""
        return {"clicks": self.clicks, "loads": self.loads, "server_ms": round(self.server_ms)}


class Person:
    """A page and what it does, counted: every click-like action goes through here."""

    def __init__(self, page, meter: Meter):
        self.page, self.meter = page, meter

    def click(self, locator) -> None:
        self.meter.clicks += 1
        locator.click()

    def select(self, locator, label: str) -> None:
        self.meter.clicks += 1
        locator.select_option(label=label)

    def choose_file(self, locator, path: str) -> None:
        self.meter.clicks += 1
        locator.set_input_files(path)

    def type(self, locator, text: str) -> None:
        locator.fill(text)

    def autocomplete(self, select_css: str, text: str, page=None) -> None:
        """Django's autocomplete (select2): open it, type, click the match: two clicks."""
        page = page or self.page
        self.click(page.locator(f"{select_css} + .select2 .select2-selection"))
        page.locator(".select2-container--open .select2-search__field").fill(text)
        option = page.locator(".select2-results__option:not(.loading-results)", has_text=text)
        self.click(option.first)


def log_in_ours(page, base_url: str, username: str, password: str) -> None:
    """Sign in to our desk (not counted: both systems start signed in)."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#content-main")).to_be_visible()


# -- Our desk ---------------------------------------------------------------------------------


def ours_home(person: Person, base_url: str) -> None:
    """Where each of our tasks starts: the person's desk home."""
    person.page.goto(f"{base_url}/admin/")
    expect(person.page.locator(OURS["story_list"]).first).to_be_visible()


def ours_open_by_search(person: Person, words: str, headline: str | None = None) -> None:
    """From the desk home: the story list, a search, the story."""
    page, s = person.page, OURS
    person.click(page.locator(s["story_list"]).first)
    person.type(page.locator(s["search"]), words)
    person.click(page.locator(s["search_button"]))
    person.click(page.locator(s["result"], has_text=headline or words).first)
    expect(page.locator(s["status"])).to_be_visible()


def ours_file(person: Person, headline: str, picture: str, authors: list[str], section: str,
              series: str) -> None:  # fmt: skip
    """Task 1 as a contributor: a new story, its picture uploaded and credited, submitted."""
    page, s = person.page, OURS
    person.click(page.locator(s["add_story"]).first)
    person.type(page.locator(s["headline"]), headline)
    person.type(page.locator(s["dek"]), STORY["dek"])
    person.click(page.locator(s["body"]))
    page.keyboard.type(STORY["body"])
    person.autocomplete(s["section"], section)
    person.autocomplete(s["series"], series)
    with page.expect_popup() as opened:
        person.click(page.locator(s["add_lead_image"]))
    popup = opened.value
    person.choose_file(popup.locator(s["upload"]), picture)
    for name, css in s["picture_fields"].items():
        person.type(popup.locator(css), STORY["picture_title" if name == "title" else name])
    with popup.expect_event("close"):
        person.click(popup.locator(s["picture_save"]))
    expect(page.locator(f"{s['add_lead_image']}")).to_be_visible()
    for n, author in enumerate(authors):
        person.click(page.get_by_text(s["add_byline"]))
        person.autocomplete(s["byline_author"].format(n=n), author)
    person.click(page.locator(s["save_continue"]))
    person.click(page.locator(s["step"].format(step="submit")))
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
    """Task 3 as a publisher: approve, then schedule with a time."""
    page, s = person.page, OURS
    ours_open_by_search(person, headline)
    person.click(page.locator(s["step"].format(step="approve")))
    expect(page.locator(s["status"])).to_contain_text("Approved")
    person.type(page.locator(s["step_at"]), SCHEDULE_AT)
    person.click(page.locator(s["step"].format(step="schedule")))
    expect(page.locator(s["status"])).to_contain_text("Scheduled")


def ours_correct(person: Person, headline: str) -> None:
    """Task 4 as a publisher: mend the body of a live story and add a correction note."""
    page, s = person.page, OURS
    ours_open_by_search(person, headline)
    person.click(page.locator(s["body"]))
    page.keyboard.press("Control+End")
    page.keyboard.type(" The talks took place on Tuesday.")
    person.click(page.get_by_text(s["add_correction"]))
    person.type(page.locator(s["correction_text"]).last, STORY["correction"])
    person.click(page.locator(s["save"]))
    expect(page.locator(".messagelist .success")).to_be_visible()


def ours_find(person: Person, phrase: str, author: str, headline: str) -> None:
    """Task 5 as an editor: the story list searched by a phrase of the body, then an author."""
    page, s = person.page, OURS
    person.click(page.locator(s["story_list"]).first)
    for words in (phrase, author):
        person.type(page.locator(s["search"]), words)
        person.click(page.locator(s["search_button"]))
        expect(page.locator(s["result"], has_text=headline).first).to_be_visible()


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


def measure(context, task, *args) -> dict:
    """Run one task in a fresh tab of `context` from the start page `task` opens; its figures."""
    meter = Meter()
    meter.watch(context)
    page = context.new_page()
    person = Person(page, meter)
    start, work = task
    start(person)
    page.wait_for_load_state("networkidle")
    meter.on = True
    done = work(person, *args)
    meter.on = False
    page.close()
    return {**meter.figures(), "done": 0 if done is False else 1}


def phrase_of(text: str) -> str:
    """Four plain words in a row from a story's text, as someone remembers a phrase of it."""
    words = text.split()
    return next(
        " ".join(words[i : i + 4])
        for i in range(3, len(words))
        if all(word.isalpha() for word in words[i : i + 4])
    )


def medians(runs: list[dict]) -> dict:
    """The median of each figure over the runs."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def table(ours: dict, wagtail: dict) -> str:
    """The figures per task, ours and Wagtail's, with the ratio ours/Wagtail, and the totals."""
    rows = ["| task | clicks ours | clicks Wagtail | ratio | page loads ours | page loads "
            "Wagtail | ratio | server ms ours | server ms Wagtail | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    names = [name for name, _ in TASKS if name in ours]
    totals = {side: {k: sum(figs[n][k] for n in names if n in figs) for k in
                     ("clicks", "loads", "server_ms")} for side, figs in
              (("ours", ours), ("wagtail", wagtail))}  # fmt: skip
    for name, a, b in [
        *((n, ours[n], wagtail.get(n)) for n in names),
        ("**total**", totals["ours"], totals["wagtail"] if wagtail else None),
    ]:
        cells = [name]
        for key in ("clicks", "loads", "server_ms"):
            theirs = b[key] if b else None
            ratio = f"{a[key] / theirs:.2f}" if theirs else "–"
            cells += [f"{a[key]:g}", "–" if theirs is None else f"{theirs:g}", ratio]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def make_picture(directory, name: str) -> str:
    """A fresh 1600x900 JPEG (both desks refuse a picture they already hold); its path."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1600, 900), (40, 90, 140))
    seed = sum(map(ord, name)) + time.perf_counter_ns()
    draw = ImageDraw.Draw(picture)
    for n in range(12):
        x, y = (seed >> n) % 1400, (seed // (n + 3)) % 700
        draw.ellipse((x, y, x + 200, y + 200), fill=((seed >> n) % 255, n * 20, 200 - n * 10))
    path = f"{directory}/{name}.jpg"
    picture.save(path, quality=85)
    return path


def stamp() -> str:
    """A suffix that keeps each run's story apart."""
    return time.strftime("%H%M%S") + f"{time.perf_counter_ns() % 1000:03d}"
