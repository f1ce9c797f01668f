"""Time the editorial tasks of issue 21 in our desk and in the Wagtail peer's admin (`make
bench-desk`): each task run --runs times by headless Chromium, the medians of clicks, page loads
and server time printed as a table with the ratio ours/Wagtail (devtools/desk_speed.py).

Our side is the demo newsroom, loaded into the database the settings name (the Makefile points
VAR_DIR at a throwaway folder, so a fresh SQLite file) and served by runserver on a free
loopback port. The Wagtail side is /work/shared/peers/wagtail_news with its own venv, in its own
PostgreSQL database (seeded afresh with --peer-articles articles when it does not hold exactly
that many, which is after every run, since the tasks add pages), given two staff accounts and
the snippet permissions its choosers need by a setup script passed to its `manage.py shell`."""

import inspect
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.html import strip_tags

from devtools import desk_speed as bench
from devtools import desk_speed_ours, desk_speed_wagtail

PEER_DIR = Path("/work/shared/peers/wagtail_news")
PEER_PASSWORD = "bench-desk-speed"
# Who does each task: the writer files, the editor returns and searches, the publisher approves,
# schedules and corrects. Wagtail's default groups: Editors write, Moderators approve and publish.
ROLES_OURS = {"writer": "contributor", "editor": "editor", "publisher": "publisher"}
ROLES_WAGTAIL = {"writer": "writer", "editor": "moderator", "publisher": "moderator"}
# Run by the peer's python: its writer and moderator, what its choosers need, and the content
# the tasks look for (printed as JSON on the last line).
PEER_SETUP = """
import inspect
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils.html import strip_tags
from news.models import ArticlePage, Author
for codename in ("view_author", "view_series"):
    perm = Permission.objects.get(content_type__app_label="news", codename=codename)
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(perm)
for username, first, last, group in [("writer", "Priya", "Raman", "Editors"),
                                     ("moderator", "Mara", "Lindqvist", "Moderators")]:
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first, last, username + "@example.org"
    user.set_password(PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=group)])
live = ArticlePage.objects.live().filter(series__isnull=False).order_by("-date").first()
print(json.dumps({
    "authors": list(Author.objects.order_by("name").values_list("name", flat=True)[:2]),
    "section": "World", "series": "Diplomacy Watch", "live": live.title,
    "phrase": phrase_of(strip_tags(live.body)),
    "live_author": live.article_authors.first().author.name,
}))
"""


class Command(BaseCommand):
    help = "Time five editorial tasks in our desk and in the Wagtail peer's admin."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--ours-only", action="store_true", help="Skip the Wagtail peer.")
        parser.add_argument("--peer-python", default="/tmp/peer-venv/bin/python")
        parser.add_argument("--peer-db", default="peer_desk_speed")
        parser.add_argument("--peer-articles", type=int, default=60)

    def handle(self, *args, runs, ours_only, peer_python, peer_db, peer_articles, **options):
        self.servers = []
        folder = Path(tempfile.mkdtemp(prefix="desk-speed-"))
        try:
            ours = self.measure_ours(folder, runs)
            wagtail = {}
            if not ours_only:
                wagtail = self.measure_wagtail(folder, runs, peer_python, peer_db, peer_articles)
        finally:
            for server in self.servers:
                server.terminate()
                server.wait(timeout=30)
        self.stdout.write(bench.table(ours, wagtail))
        for side, figures in (("ours", ours), ("Wagtail", wagtail)):
            if figures and figures["find"]["done"] < 1:
                self.stdout.write(
                    f"{side}: task 5's search by a phrase of the body or by an author's name "
                    "did not find the story"
                )
        self.stdout.write(f"medians of {runs} runs; {folder} holds the pictures uploaded")

    def serve(self, command: list[str], cwd, env: dict) -> str:
        """Start a server on a free loopback port (stopped at the end); its base URL."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = open(Path(tempfile.gettempdir()) / f"desk-speed-{port}.log", "w")
        server = subprocess.Popen([*command, f"127.0.0.1:{port}"], cwd=cwd, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        self.servers.append(server)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/admin/login/", timeout=10)
                return url
            except OSError:
                if server.poll() is not None:
                    raise CommandError(f"the server stopped: see {log.name}") from None
                time.sleep(0.5)
        raise CommandError(f"no answer from {url}: see {log.name}")

    def measure_ours(self, folder: Path, runs: int) -> dict:
        """Our demo newsroom, served; the medians of each task."""
        from articles.models import Article

        self.stdout.write(f"Our desk: demo newsroom in {settings.DATABASES['default']['NAME']}")
        call_command("migrate", verbosity=0, interactive=False)
        logins = folder / "logins.json"
        call_command("load_demo", logins_file=str(logins), verbosity=0)
        passwords = json.loads(logins.read_text())
        live = Article.objects.live().filter(bylines__isnull=False).order_by("-publish_at")[0]
        content = {
            "authors": ["Priya Raman", "Mara Lindqvist"], "section": "Europe",
            "series": "Diplomacy Watch", "live": live.headline,
            "phrase": bench.phrase_of(strip_tags(live.body)),
            "live_author": live.bylines.first().author.name,
        }  # fmt: skip
        command = [sys.executable, "manage.py", "runserver", "--noreload"]
        url = self.serve(command, settings.BASE_DIR, dict(os.environ))
        return self.run_tasks("ours", url, passwords, content, folder, runs)

    def measure_wagtail(self, folder, runs, python, database, articles) -> dict:
        """The Wagtail peer, seeded when needed and served; the medians of each task."""
        if not Path(python).exists():
            raise CommandError(f"No {python}: run /work/shared/peers/run_peer.sh once.")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings",
               "PEER_DB_NAME": database, "PEER_MEDIA_ROOT": f"/tmp/{database}-media",
               "PEER_STATIC_ROOT": f"/tmp/{database}-static"}  # fmt: skip
        env.pop("DATABASE_URL", None)

        def manage(*words, check=True):
            return subprocess.run([python, "manage.py", *words], cwd=PEER_DIR, env=env,
                                  capture_output=True, text=True, check=check)  # fmt: skip

        if manage("seed_peer", "--check", "--articles", str(articles), check=False).returncode:
            self.stdout.write(f"Wagtail: seeding {articles} articles into {database}")
            as_postgres = ["runuser", "-u", "postgres", "--"]
            subprocess.run([*as_postgres, "dropdb", "--if-exists", "--force", database], check=True)
            subprocess.run([*as_postgres, "createdb", "-O", "peer_bench", database], check=True)
            manage("migrate", "--noinput", "-v0")
            manage("seed_peer", "--articles", str(articles))
        setup = inspect.getsource(bench.phrase_of) + PEER_SETUP.replace(
            "PASSWORD", repr(PEER_PASSWORD)
        )
        content = json.loads(manage("shell", "-c", setup).stdout.strip().splitlines()[-1])
        url = self.serve([python, "manage.py", "runserver", "--insecure", "--noreload"],
                         PEER_DIR, env)  # fmt: skip
        passwords = {"writer": PEER_PASSWORD, "moderator": PEER_PASSWORD}
        return self.run_tasks("wagtail", url, passwords, content, folder, runs)

    def run_tasks(self, side: str, url: str, passwords: dict, content: dict, folder, runs: int):
        """Each task `runs` times as the role that does it; the medians per task."""
        from playwright.sync_api import sync_playwright

        ours = side == "ours"
        steps = desk_speed_ours if ours else desk_speed_wagtail
        log_in = getattr(steps, f"log_in_{side}")
        roles = ROLES_OURS if ours else ROLES_WAGTAIL
        tasks = {name: getattr(steps, f"{side}_{name}") for name, _ in bench.TASKS}
        resubmit = getattr(steps, f"{side}_resubmit")
        start = getattr(steps, f"{side}_home")
        figures = {name: [] for name in tasks}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            contexts = {}
            for role, username in roles.items():
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                page = context.new_page()
                log_in(page, url, username, passwords[username])
                page.close()
                contexts[role] = context

            def run(role, task, *args):
                return bench.measure(contexts[role], (lambda p: start(p, url), task), *args)

            for n in range(runs):
                headline = f"Geneva talks resume, take {bench.stamp()}"
                picture = bench.make_picture(folder, f"{side}-{n}")
                steps = [
                    ("file", "writer", (headline, picture, content["authors"],
                                        content["section"], content["series"])),
                    ("return", "editor", (headline,)),
                    ("resubmit", "writer", (headline,)),
                    ("schedule", "publisher", (headline,)),
                    ("correct", "publisher", (content["live"],)),
                    ("find", "editor", (content["phrase"], content["live_author"],
                                        content["live"])),
                ]  # fmt: skip
                for name, role, task_args in steps:
                    task = resubmit if name == "resubmit" else tasks[name]
                    result = run(role, task, *task_args)
                    if name != "resubmit":
                        figures[name].append(result)
                        self.stdout.write(f"{side} run {n + 1} {name}: {result}")
            browser.close()
        return {name: bench.medians(runs) for name, runs in figures.items()}
