"""Retake the desk screenshots in docs/desk.md from a running demo (`make run` elsewhere):
each role's desk home, the story form, a story's history, a compare of two versions, and the
calendar.

.venv/bin/python docs/screenshots/take_desk_screenshots.py [http://127.0.0.1:8000] [logins.json]

The demo's staff logins are in var/demo-logins.json (written by `load_demo`).
"""

import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
LOGINS = json.loads(Path(sys.argv[2] if len(sys.argv) > 2 else "var/demo-logins.json").read_text())
HERE = Path(__file__).parent
LAPTOP = {"width": 1366, "height": 1000}


def log_in(page, username: str) -> None:
    page.goto(f"{BASE}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", LOGINS[username])
    page.click("input[type=submit]")


def first_story(page, query: str = "") -> str:
    """The change page of the first story the story list shows (optionally filtered)."""
    page.goto(f"{BASE}/admin/articles/article/{query}")
    return page.locator("#result_list tbody tr th a").first.get_attribute("href")


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    )  # fmt: skip
    for role in ("contributor", "editor", "publisher"):
        page = browser.new_page(viewport=LAPTOP)
        log_in(page, role)
        page.goto(f"{BASE}/admin/")
        page.screenshot(path=str(HERE / f"desk-{role}.png"), full_page=True)
        print(f"desk-{role}.png")
        if role == "editor":
            story = first_story(page, "?state=live")
            page.goto(BASE + story)
            page.wait_for_selector(".ck-editor")
            page.screenshot(path=str(HERE / "story-form.png"))
            print("story-form.png")
            page.goto(BASE + story.replace("/change/", "/history/"))
            page.screenshot(path=str(HERE / "history.png"), full_page=True)
            print("history.png")
            radios = page.locator("input[name=version_id1]")
            if radios.count() >= 2:
                page.get_by_role("button", name="Compare the ticked versions").click()
                page.screenshot(path=str(HERE / "compare.png"), full_page=True)
                print("compare.png")
            else:
                print("compare.png: the story has one revision only; edit it once and retake")
        page.close()
    page = browser.new_page(viewport=LAPTOP)  # the calendar, as an editor, at both widths
    log_in(page, "editor")
    for name, viewport in (
        ("calendar", LAPTOP),
        ("calendar-phone", {"width": 390, "height": 1400}),
    ):
        page.set_viewport_size(viewport)
        page.goto(f"{BASE}/admin/desk/calendar/")
        page.screenshot(path=str(HERE / f"{name}.png"), full_page=name == "calendar")
        print(f"{name}.png")
    page.close()
    browser.close()
