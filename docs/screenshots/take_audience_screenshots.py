"""Take the audience screenshots in docs/audience.md (audience-*.png): the overview and a
story's figures, at 1366 and 390 px, and the story editor's "Readers" group, as an editor of
the demo newsroom.

.venv/bin/python docs/screenshots/take_audience_screenshots.py

It builds a throwaway demo in a temporary directory (SQLite, its own uploads) with the demo's
own four weeks of readers (`load_demo`: newsroom/demo_audience.py), serves it on a free port
with `runserver`, sends a few readers' beacons and folds them (the live panel), takes the shots
and removes everything. Nothing of the real demo is touched.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
LAPTOP = {"width": 1366, "height": 1000}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
# Readers' browsers (the endpoint drops requests without a user agent as automation).
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.{n}"


def readers_now(base: str, env: dict, stories: list[tuple[int, str]]) -> None:
    """A few readers on the demo's stories right now, through the real path: the beacon's
    report to the running site, then the worker's fold (`manage.py fold_audience`)."""
    for n, (pk, path) in enumerate(stories * 2):
        body = json.dumps({"k": "view", "p": path, "r": "", "t": "story", "i": pk}).encode()
        request = Request(base + "/a/e", data=body, method="POST", headers={
            "Content-Type": "text/plain;charset=UTF-8", "Accept-Language": "en",
            "User-Agent": READER.format(n=n)})  # fmt: skip
        urlopen(request, timeout=10)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "fold_audience"], env=env,
                   check=True, capture_output=True)  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The demo's stories by views in its history, most read first: [[id, path], …].
MOST_READ = """
import json
from django.db.models import Sum
from articles.models import Article
from audience.models import DayFigures
ranked = (DayFigures.objects.filter(kind="story").values("object_id")
          .annotate(views=Sum("views")).order_by("-views")[:6])
stories = Article.objects.select_related("section").in_bulk([r["object_id"] for r in ranked])
print(json.dumps([[r["object_id"], stories[r["object_id"]].get_absolute_url()]
                  for r in ranked if r["object_id"] in stories]))
"""


def prepare(env: dict) -> list:
    """Migrate and load the demo, with its four weeks of readers (newsroom/demo_audience.py),
    in a child process (its own settings); the most read stories."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_demo", "-v0", "--logins-file", env["LOGINS"]], env=env,
                   check=True)  # fmt: skip
    result = subprocess.run([*manage, "shell", "-c", MOST_READ], env=env, check=True,
                            capture_output=True, text=True)  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def shoot(base: str, username: str, password: str, story_id: int) -> list[str]:
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)  # fmt: skip
        for size, viewport in (("", LAPTOP), ("-phone", PHONE)):
            page = browser.new_page(viewport=viewport)
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.goto(f"{base}/admin/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            page.wait_for_load_state()
            pages = {"audience": "/admin/audience/?period=30d",
                     "audience-story": f"/admin/audience/story/{story_id}/"}  # fmt: skip
            for name, path in pages.items():
                page.goto(base + path)
                page.screenshot(path=str(HERE / f"{name}{size}.png"), full_page=size == "")
            if size == "":  # the story editor's "Readers" group, beside the story
                page.goto(f"{base}/admin/articles/article/{story_id}/change/")
                group = page.locator("#readers-group")
                group.scroll_into_view_if_needed()
                group.screenshot(path=str(HERE / "audience-readers-group.png"))
            page.close()
        browser.close()
    return problems


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="audience-shots-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp}/shots.sqlite3",
            "VAR_DIR": tmp,
            "MEDIA_ROOT": f"{tmp}/uploads",
            "LOGINS": f"{tmp}/logins.json",
        }
        env.pop("REDIS_URL", None)
        stories = prepare(env)
        logins = json.loads(Path(env["LOGINS"]).read_text())
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}",
             "--noreload"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    urlopen(base + "/admin/login/", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            readers_now(base, env, stories)
            problems = shoot(base, "editor", logins["editor"], stories[0][0])
        finally:
            server.terminate()
            server.wait()
    print("\n".join(problems) or "Took the audience screenshots; no console errors.")


if __name__ == "__main__":
    main()
