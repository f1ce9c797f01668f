"""Retake the README screenshots from a running demo (`make run` in another terminal).

.venv/bin/python docs/screenshots/take_screenshots.py [http://127.0.0.1:8000]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
HERE = Path(__file__).parent
SHOTS = [
    ("home.png", "/", {"width": 1280, "height": 1100}),
    ("article.png", "/europe/diplomacy-watch-a-peace-summit-without-russia/",
     {"width": 1280, "height": 1500}),
    ("article-phone.png", "/middle-east/senator-to-force-vote-on-withdrawing-us-troops-from-syria/",
     {"width": 390, "height": 1400}),
]  # fmt: skip

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    )  # fmt: skip
    for name, path, viewport in SHOTS:
        page = browser.new_page(viewport=viewport)
        page.goto(BASE + path)
        page.screenshot(path=str(HERE / name))
        print(f"{name}: {BASE}{path}")
    browser.close()
