"""Helpers for take_desk_screenshots.py: signing in, finding demo stories, taking a shot, and
the few steps that set a page up (a comment on a passage, a story put in a series)."""

import json
import sys
from pathlib import Path

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
LOGINS = json.loads(Path(sys.argv[2] if len(sys.argv) > 2 else "var/demo-logins.json").read_text())
HERE = Path(__file__).parent
LAPTOP = {"width": 1366, "height": 1000}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PROBLEMS: list[str] = []  # JavaScript errors seen while taking the shots, printed at the end


def open_page(browser, username: str, viewport: dict = LAPTOP):
    """A new page signed in as `username`, reporting JavaScript errors into PROBLEMS."""
    page = browser.new_page(viewport=viewport)
    page.on("pageerror", lambda error: PROBLEMS.append(f"{page.url}: {error}"))
    page.on(
        "console",
        lambda message: (
            message.type == "error" and PROBLEMS.append(f"{page.url}: console: {message.text}")
        ),
    )
    page.goto(f"{BASE}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", LOGINS[username])
    page.click("input[type=submit]")
    page.wait_for_load_state()
    return page


def shot(page, name: str, *, full_page: bool = False, element: str = "", down_to: str = "") -> None:
    """Save `name`.png: the viewport, the whole page, one element, or the page's full width
    from the top of `element` to the bottom of `down_to`."""
    path = str(HERE / f"{name}.png")
    if element and down_to:
        top = page.locator(element).first.bounding_box()
        bottom = page.locator(down_to).first.bounding_box()
        scroll = page.evaluate("window.scrollY")
        clip = {
            "x": 0,
            "y": top["y"] + scroll - 8,
            "width": page.viewport_size["width"],
            "height": bottom["y"] + bottom["height"] - top["y"] + 16,
        }
        page.screenshot(path=path, full_page=True, clip=clip)
    elif element:
        page.locator(element).first.screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=full_page)
    print(f"{name}.png")


def story_url(page, headline: str) -> str:
    """The change page of the demo story with this headline (from the story list's search)."""
    page.goto(f"{BASE}/admin/articles/article/?q={headline}")
    return BASE + page.get_by_role("link", name=headline).first.get_attribute("href")


def open_story(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".ck-editor")
    page.wait_for_function("window.editors && window.editors.id_body")


def scroll_to(page, selector: str) -> None:
    """Scroll so that `selector` is at the top of the window."""
    page.locator(selector).first.evaluate(
        "(node) => window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY)"
    )
    page.wait_for_timeout(300)


def comment_on_passage(page, words: str, text: str) -> None:
    """Select `words` in the body's first paragraph and comment on them, unless the story
    already has a passage comment (so a second run adds none)."""
    if page.locator(".ck-editor [data-comment]").count():
        return
    page.evaluate(
        """(words) => {
            const editor = window.editors.id_body;
            editor.model.change((writer) => {
                const root = editor.model.document.getRoot();
                for (const paragraph of root.getChildren()) {
                    const text = Array.from(paragraph.getChildren())
                        .map((node) => node.data || "").join("");
                    const at = text.indexOf(words);
                    if (at >= 0) {
                        writer.setSelection(writer.createRange(
                            writer.createPositionAt(paragraph, at),
                            writer.createPositionAt(paragraph, at + words.length)));
                        return;
                    }
                }
            });
        }""",
        words,
    )
    page.get_by_role("button", name="Comment on the selected words").click()
    page.fill("#desk-comment-text", text)
    page.locator("#desk-comment-new button[type=submit]").click()
    page.wait_for_selector(".ck-editor [data-comment]")


def put_in_series(page, series: str) -> None:
    """Put the open story in `series` through its autocomplete and save it, unless it is
    in it already (so a second run saves nothing)."""
    row = page.locator(".field-series")
    if series in row.locator(".select2-selection").inner_text():
        return
    page.evaluate("document.querySelector('.field-series').closest('details').open = true")
    row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(series)
    page.locator(".select2-results__option", has_text=series).first.click()
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".ck-editor")
