"""Take the audience screenshots in docs/audience.md (audience-*.png): the overview and a
story's figures, at 1366 and 390 px, and the story editor's "Readers" group, as an editor of
the demo newsroom.

.venv/bin/python docs/screenshots/take_audience_screenshots.py

It builds a throwaway demo in a temporary directory (SQLite, its own uploads), gives it four
weeks of generated rollups (seeded, so the shots come out the same), serves it on a free port
with `runserver`, takes the shots and removes everything. Nothing of the real demo is touched.
When the demo's own history (audience/folding.py's demo data) exists, this can use it instead.
"""

import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
LAPTOP = {"width": 1366, "height": 1000}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def generate_history(days: int = 28, seed: int = 23) -> int:
    """Rollups for the demo's live stories over `days` days, as the fold would write them;
    returns the id of the most read story."""
    from django.utils import timezone

    from articles.models import Article
    from audience.models import (
        DayBreakdown,
        DayFigures,
        DaySearch,
        HourFigures,
        Kind,
        LiveReader,
    )  # fmt: skip

    rng = random.Random(seed)
    stories = list(Article.objects.live().prefetch_related("bylines")[:40])
    today = timezone.localdate()
    day_rows, hour_rows, breakdowns = {}, {}, {}

    def add(table, key, views, seconds=0, ended=0):
        row = table.setdefault(key, [0, 0, 0, 0, 0])
        row[0] += views
        row[1] += round(views * 0.8)
        row[2] += seconds
        row[3] += views // 2
        row[4] += ended

    for rank, story in enumerate(stories):
        weight = 400 / (rank + 1)
        for back in range(days):
            views = int(weight * rng.uniform(0.3, 1.2) * (1 + (back < 3)))
            seconds, ended = views * rng.randint(20, 90), int(views * rng.uniform(0.2, 0.6))
            day = today - timedelta(days=back)
            targets = [(Kind.SITE, 0), (Kind.STORY, story.pk), (Kind.SECTION, story.section_id)]
            targets += [(Kind.AUTHOR, b.author_id) for b in story.bylines.all()]
            if story.series_id:
                targets.append((Kind.SERIES, story.series_id))
            for kind, pk in targets:
                add(day_rows, (day, kind, pk), views, seconds, ended)
            for dimension, values in (
                ("referrer", {"search": 5, "social": 3, "newsletter": 2, "direct": 2, "site": 1}),
                ("domain", {"google.com": 5, "bsky.app": 2, "news.ycombinator.com": 1}),
                ("device", {"mobile": 6, "desktop": 3, "tablet": 1}),
            ):
                total = sum(values.values())
                for value, share in values.items():
                    for kind, pk in [(Kind.SITE, 0), (Kind.STORY, story.pk)]:
                        key = (day, kind, pk, dimension, value)
                        breakdowns[key] = breakdowns.get(key, 0) + views * share // total
        now = timezone.localtime()
        for hour in range(now.hour + 1):
            at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
            views = int(weight / 24 * rng.uniform(0.2, 1.5) * (0.3 if hour < 7 else 1))
            for kind, pk in [(Kind.SITE, 0), (Kind.STORY, story.pk)]:
                add(hour_rows, (at, kind, pk), views)

    def figures(values):
        return dict(zip(["views", "visitors", "engaged_seconds", "engagements", "reads_to_end"],
                        values, strict=True))  # fmt: skip

    DayFigures.objects.bulk_create(
        DayFigures(day=d, kind=k, object_id=pk, **figures(v)) for (d, k, pk), v in day_rows.items()
    )
    HourFigures.objects.bulk_create(
        HourFigures(hour=h, kind=k, object_id=pk, **figures(v))
        for (h, k, pk), v in hour_rows.items()
    )
    DayBreakdown.objects.bulk_create(
        DayBreakdown(day=d, kind=k, object_id=pk, dimension=dim, value=val, views=n)
        for (d, k, pk, dim, val), n in breakdowns.items()
    )
    terms = ["election results", "ferry strike", "budget", "weather warning", "school closures"]
    DaySearch.objects.bulk_create(
        DaySearch(day=today - timedelta(days=back), term=term, searches=rng.randint(1, 30))
        for back in range(days)
        for term in terms
    )
    LiveReader.objects.bulk_create(
        LiveReader(key=f"shot-{n}", kind=Kind.STORY, object_id=story.pk,
                   path=story.get_absolute_url(), seen_at=timezone.now())
        for n, story in enumerate(stories[:12] * 2)
    )  # fmt: skip
    newsletter_figures(stories[0], rng)
    # The demo publishes its stories as it loads them: date the most read one back to the
    # start of its history, so its own chart runs by the day.
    first = timezone.now() - timedelta(days=days - 1)
    Article.objects.filter(pk=stories[0].pk).update(first_published_at=first, publish_at=first)
    return stories[0].pk


def newsletter_figures(story, rng) -> None:
    """Sign-ups from the story's page and clicks from the demo's issues that carried it."""
    from django.utils import timezone

    from audience.models import NewsletterClicks, SignupsFromStory
    from newsletters.models import IssueStory, Newsletter

    today = timezone.localdate()
    for letter in Newsletter.objects.all()[:2]:
        SignupsFromStory.objects.create(day=today, story_id=story.pk, newsletter_id=letter.pk,
                                        signups=rng.randint(3, 40))  # fmt: skip
    for item in IssueStory.objects.filter(article=story):
        NewsletterClicks.objects.create(day=today, issue_id=item.issue_id, story_id=story.pk,
                                        clicks=rng.randint(50, 400))  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict) -> int:
    """Migrate, load the demo and its history in a child process (its own settings)."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_demo", "-v0", "--logins-file", env["LOGINS"]], env=env,
                   check=True)  # fmt: skip
    code = "import take_audience_screenshots as t; print(t.generate_history())"
    result = subprocess.run([*manage, "shell", "-c", code], env={**env, "PYTHONPATH": str(HERE)},
                            check=True, capture_output=True, text=True)  # fmt: skip
    return int(result.stdout.strip().splitlines()[-1])


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
        story_id = prepare(env)
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
            problems = shoot(base, "editor", logins["editor"], story_id)
        finally:
            server.terminate()
            server.wait()
    print("\n".join(problems) or "Took the audience screenshots; no console errors.")


if __name__ == "__main__":
    main()
