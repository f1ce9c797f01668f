"""The editorial-speed benchmark's tasks (`make bench-desk`): the same five jobs done in our desk
and in the Wagtail peer's admin (/work/shared/peers/wagtail_news) by a headless Chromium, as a
person would, from the desk home or the Wagtail dashboard, clicking through.

Counted per task: clicks (each click, check, select_option and file choice the script makes;
typing is not a click, and a search is sent with its button, not Enter), page loads (main-frame
navigations answered by the server, popups and form POSTs included, redirects once) and server
time (for every document, XHR and fetch request, the browser's time from sending the request to
the first byte of the answer). This module holds what both sides share: the tasks, the content,
the counting and the table; each system's steps and selectors are beside it
(devtools/desk_speed_ours.py, OURS; devtools/desk_speed_wagtail.py, WAGTAIL), so a change of the
desk's UI is an edit there.
"""

import statistics
import time
from dataclasses import dataclass

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
        """A visible file field: click it, pick the file (one click, as for any field)."""
        self.meter.clicks += 1
        locator.set_input_files(path)

    def choose_file_with(self, button, path: str) -> None:
        """A button that opens the file chooser: press it, pick the file (one click, as with
        a file field: the pick in the system's dialog is not counted on either side)."""
        self.meter.clicks += 1
        with button.page.expect_file_chooser() as chooser:
            button.click()
        chooser.value.set_files(path)

    def type(self, locator, text: str) -> None:
        locator.fill(text)

    def autocomplete(self, select_css: str, text: str, page=None) -> None:
        """Django's autocomplete (select2): open it, type, click the match: two clicks."""
        page = page or self.page
        self.click(page.locator(f"{select_css} + .select2 .select2-selection"))
        page.locator(".select2-container--open .select2-search__field").fill(text)
        option = page.locator(".select2-results__option:not(.loading-results)", has_text=text)
        self.click(option.first)


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
