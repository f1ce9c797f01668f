"""The load test: readers (100 by default) for 60 s over home, article, section, search and
feed pages while two editors save a story every second through the admin, all against
gunicorn on PostgreSQL over loopback. Prints p50/p95/p99 per kind of page and overall and
every 5xx, then checks in the database that every save answered "saved" is there, with its
own revision, and nothing else."""

import random
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Q
from reversion.models import Version

from articles.models import Article
from articles.roles import EDITOR, sync_role_groups
from devtools.management.benchmarking import check_tools, gunicorn, start_wrk, wrk_output
from devtools.management.commands.generate_corpus import PLACES, WORDS
from devtools.management.editor_client import AdminEditor, replace
from sections.models import Section

# Spreads each wrk connection's requests over its kind's URLs and counts statuses; in `done`
# it prints the whole latency histogram, so percentiles can be merged across kinds.
READER_SCRIPT = """
paths = {%s}
n, fives, fours, hits = 0, 0, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  n = n %% #paths + 1
  return wrk.format("GET", paths[n])
end
function response(status, headers, body)
  if status >= 500 then fives = fives + 1 elseif status >= 400 then fours = fours + 1 end
  if headers["X-Cache"] == "hit" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local f5, f4, h = 0, 0, 0
  for _, t in ipairs(threads) do
    f5, f4, h = f5 + t:get("fives"), f4 + t:get("fours"), h + t:get("hits")
  end
  local e = summary.errors
  io.write(string.format("SUMMARY %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, f5, f4, e.connect + e.read + e.write, e.timeout, h))
  for i = 1, #latency do
    local v, c = latency(i)
    io.write(string.format("L %%d %%d\\n", v, c))
  end
end
"""
KINDS = ("home", "article", "section", "search", "feed")
# Enough that an editor always has a story not being saved, even with slow answers.
STORIES_PER_EDITOR = 30


@dataclass
class Readers:
    requests: int = 0
    seconds: float = 0
    server_errors: int = 0
    client_errors: int = 0
    socket_errors: int = 0
    timeouts: int = 0
    cache_hits: int = 0
    latency: dict = field(default_factory=dict)  # microseconds -> count

    def add(self, other: "Readers") -> None:
        self.requests += other.requests
        self.seconds = max(self.seconds, other.seconds)
        for name in ("server_errors", "client_errors", "socket_errors", "timeouts", "cache_hits"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for micros, count in other.latency.items():
            self.latency[micros] = self.latency.get(micros, 0) + count

    def percentile(self, p: float) -> float:
        """Milliseconds under which p% of the requests were answered."""
        wanted, seen = p / 100 * sum(self.latency.values()), 0
        for micros in sorted(self.latency):
            seen += self.latency[micros]
            if seen >= wanted:
                return micros / 1000
        return 0.0


@dataclass
class Story:
    """One editor's story, saved by at most one request at a time."""

    editor: str
    pk: int
    revisions_before: int
    saves: list = field(default_factory=list)  # (marker, status or None if no answer, seconds)
    fields: list | None = None  # the change form as last read, kept up to date after a save
    busy: bool = False
    autosaves: list = field(default_factory=list)  # (status or None, seconds)


class Command(BaseCommand):
    help = (
        "Load test: readers over home/article/section/search/feed pages while editors save "
        "stories every second, on gunicorn and PostgreSQL; latency percentiles, 5xx, and a "
        "check that no save was lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("--readers", type=int, default=100, help="Concurrent readers.")
        parser.add_argument("--editors", type=int, default=2)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers.")
        parser.add_argument("--page-cache", choices=["on", "off"], default="on")
        # Its own Redis database, never the site's: the test empties it before it starts.
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
        parser.add_argument(
            "--any-database", action="store_true",
            help="Run even if the database's name does not say it is a benchmark one.",
        )  # fmt: skip
        parser.add_argument(
            "--corpus", type=int, default=0,
            help="If the database has no stories, generate this many first.",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what it would load; change nothing."
        )

    def handle(self, *args, readers, editors, seconds, workers, page_cache, redis_url, corpus,
               dry_run, any_database, **options):  # fmt: skip
        check_tools(connection)
        name = connection.settings_dict["NAME"]
        if not dry_run and not any_database and not ("bench" in name or "load" in name):
            raise CommandError(
                f"The load test rewrites the newest live stories' bodies and adds staff "
                f"accounts: run it on a benchmark database (its name containing “bench” or "
                f"“load”, as `make load-test` does), not on “{name}”; or pass --any-database."
            )
        if readers < len(KINDS):
            raise CommandError(f"--readers must be at least {len(KINDS)}, one per kind of page.")
        if dry_run:
            return self.plan(readers, editors, seconds)
        if not Article.objects.exists():
            if not corpus:
                raise CommandError("No stories: run generate_corpus, or pass --corpus N.")
            call_command("generate_corpus", articles=corpus, verbosity=options["verbosity"])
        paths = self.reader_paths()
        accounts = self.editor_accounts(editors)
        out = self.stdout.write
        out(f"{Article.objects.count()} stories; gunicorn {workers} sync workers, page cache "
            f"{page_cache}; {readers} readers and {editors} editors for {seconds}s")  # fmt: skip
        with gunicorn(page_cache=page_cache, redis_url=redis_url, workers=workers) as base:
            desks = []
            for (username, password), pks in accounts:
                session = AdminEditor(base)
                session.log_in(username, password)
                stories = [Story(username, pk, self.revisions(pk)) for pk in pks]
                desks.append((session, stories))
            for kind in KINDS:  # warm: connections opened, templates compiled
                AdminEditor(base).request(paths[kind][0])
            stop = threading.Event()
            editing = [threading.Thread(target=self.edit, args=(*desk, stop)) for desk in desks]
            wrks = {
                kind: start_wrk(base + paths[kind][0], script=self.script(paths[kind]),
                                connections=share, seconds=seconds, threads=1, timeout=30)
                for kind, share in zip(KINDS, self.shares(readers), strict=True)
            }  # fmt: skip
            for thread in editing:
                thread.start()
            results = {kind: self.parse(wrk_output(wrk, seconds)) for kind, wrk in wrks.items()}
            stop.set()
            for thread in editing:
                thread.join(180)
        self.report(results, [story for _, stories in desks for story in stories])

    # --- What the readers read, who the editors are -------------------------------------------

    def plan(self, readers: int, editors: int, seconds: int) -> None:
        paths = self.reader_paths()
        for kind, share in zip(KINDS, self.shares(readers), strict=True):
            self.stdout.write(f"{kind}: {share} readers over {len(paths[kind])} URLs")
        self.stdout.write(
            f"{editors} editors, {STORIES_PER_EDITOR} stories each, one save a second each for "
            f"{seconds}s (dry run: nothing started or changed)"
        )

    def reader_paths(self) -> dict:
        rng = random.Random(2026)  # the same pages every run
        live = list(Article.objects.live().values_list("pk", flat=True))
        if not live:
            raise CommandError("No live story to read.")
        stories = Article.objects.filter(pk__in=rng.sample(live, min(500, len(live))))
        # Sections with something to show (an empty one, or a page past the end, is a 404).
        sections = list(
            Section.objects.annotate(
                live=Count("articles", filter=Q(articles__in=Article.objects.live()))
            ).filter(live__gt=0)
        )
        return {
            "home": ["/"],
            "article": [s.get_absolute_url() for s in stories.select_related("section__parent")],
            "section": [f"{s.get_absolute_url()}{page}" for s in sections
                        for page in ("", "?page=2")[: 1 + (s.live > 100)]],
            "search": [f"/search/?q={rng.choice(WORDS)}+{rng.choice(PLACES)}" for _ in range(50)],
            "feed": ["/feeds/rss/", "/feeds/atom/"]
                    + [f"/feeds/sections/{s.slug}/rss/" for s in sections],
        }  # fmt: skip

    def editor_accounts(self, count: int) -> list:
        """Staff accounts with a fresh password each run, each with live stories of its own."""
        if not Group.objects.filter(name=EDITOR).exists():
            sync_role_groups()
        newest = list(
            Article.objects.live()
            .order_by("-publish_at")
            .values_list("pk", flat=True)[: count * STORIES_PER_EDITOR]
        )
        accounts = []
        for number in range(1, count + 1):
            user, _ = get_user_model().objects.get_or_create(
                username=f"load-test-editor-{number}", defaults={"is_staff": True}
            )
            password = secrets.token_urlsafe(16)
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=EDITOR))
            accounts.append(((user.username, password), newest[number - 1 :: count]))
        return accounts

    @staticmethod
    def revisions(pk: int) -> int:
        return Version.objects.get_for_object_reference(Article, pk).count()

    @staticmethod
    def shares(readers: int) -> list[int]:
        return [readers // len(KINDS) + (i < readers % len(KINDS)) for i in range(len(KINDS))]

    @staticmethod
    def script(paths: list[str]) -> str:
        return READER_SCRIPT % ", ".join(f'"{p}"' for p in paths)

    # --- Running ------------------------------------------------------------------------------

    def edit(self, session: AdminEditor, stories: list, stop: threading.Event) -> None:
        """Starts a save every second, answered or not, each on one of this editor's stories
        that is not being saved at that moment, until told to stop; then waits for them."""
        saving, lock, tick = [], threading.Lock(), time.monotonic()
        while not stop.is_set():
            with lock:
                story = next((s for s in stories if not s.busy), None)
                if story:
                    story.busy = True
                    stories.append(stories.pop(stories.index(story)))  # the others go first
            if story:
                saving.append(threading.Thread(target=self.save, args=(session, story, lock)))
                saving[-1].start()
            # Meanwhile the editor keeps typing in another story: its form autosaves.
            typing = stories[0]
            saving.append(threading.Thread(target=self.autosave, args=(session, typing)))
            saving[-1].start()
            tick += 1
            stop.wait(max(0.0, tick - time.monotonic()))
        for thread in saving:
            thread.join(120)

    def save(self, session: AdminEditor, story: Story, lock: threading.Lock) -> None:
        """One "Save and continue editing" with the body replaced by a unique marker; the page
        it leads back to (with its message, and the story's new version) is the next form."""
        marker = f"load-test {story.editor} story {story.pk} save {uuid.uuid4()}"
        started = time.monotonic()
        try:
            fields = story.fields or session.change_form("articles/article", story.pk)
            fields = replace(fields, "body", f"<p>{marker}</p>") + [("_continue", "1")]
            status, _ = session.request(f"/admin/articles/article/{story.pk}/change/", fields)
        except (OSError, RuntimeError):
            status = None  # no answer: saved or not, verify() will tell
        story.saves.append((marker, status, time.monotonic() - started))
        try:
            story.fields = session.change_form("articles/article", story.pk)
        except (OSError, RuntimeError):
            story.fields = None
        with lock:
            story.busy = False

    def autosave(self, session: AdminEditor, story: Story) -> None:
        """The story form's autosave: the whole form, typed into, to the person's working copy
        (never a revision: verify() would count one)."""
        started = time.monotonic()
        try:
            fields = story.fields or session.change_form("articles/article", story.pk)
            typed = f"<p>autosave {uuid.uuid4()}, not a revision</p>"
            status, _ = session.request(
                f"/admin/articles/article/{story.pk}/autosave/", replace(fields, "body", typed)
            )
        except (OSError, RuntimeError):
            status = None
        story.autosaves.append((status, time.monotonic() - started))

    @staticmethod
    def parse(output: str) -> Readers:
        result = Readers()
        for line in output.splitlines():
            if line.startswith("SUMMARY "):
                numbers = [int(n) for n in line.split()[1:]]
                result.requests, micros, result.server_errors, result.client_errors = numbers[:4]
                result.socket_errors, result.timeouts, result.cache_hits = numbers[4:]
                result.seconds = micros / 1e6
            elif line.startswith("L "):
                _, micros, count = line.split()
                result.latency[int(micros)] = result.latency.get(int(micros), 0) + int(count)
        if not result.requests:
            raise CommandError(f"wrk failed: {output}")
        return result

    # --- Checking and reporting ---------------------------------------------------------------

    def verify(self, story: Story) -> dict:
        """Every save answered 302 is in exactly one new revision; a save answered otherwise
        left none (one that got no answer may have either); the story holds the last. Saves
        of one story never overlap, so the last one written is the last one sent."""
        article = Article.objects.get(pk=story.pk)
        versions = Version.objects.get_for_object_reference(Article, story.pk).order_by("pk")
        new = [v.serialized_data for v in versions[story.revisions_before :]]
        written = [(m, status) for m, status, _ in story.saves if any(m in d for d in new)]
        saved = [m for m, status, _ in story.saves if status == 302]
        verified = [m for m in saved if sum(m in data for data in new) == 1]
        ok = (
            len(verified) == len(saved)
            and all(status in (302, None) for _, status in written)
            and len(new) == len(written)
            and (not written or written[-1][0] in article.body)
        )
        return {"saved": len(saved), "verified": len(verified), "new": len(new), "ok": ok}

    def report(self, results: dict, stories: list) -> None:
        out = self.stdout.write
        overall = Readers()
        out("\n| pages | requests | req/s | p50 ms | p95 ms | p99 ms | 5xx | 4xx | socket errors "
            "| cache hits |")  # fmt: skip
        out("|---|---|---|---|---|---|---|---|---|---|")
        for kind, result in [*results.items(), ("all", overall)]:
            if kind != "all":
                overall.add(result)
            out(f"| {kind} | {result.requests:,} | {result.requests / result.seconds:,.1f} | "
                f"{result.percentile(50):,.0f} | {result.percentile(95):,.0f} | "
                f"{result.percentile(99):,.0f} | {result.server_errors} | {result.client_errors} "
                f"| {result.socket_errors + result.timeouts} | "
                f"{result.cache_hits / result.requests:.0%} |")  # fmt: skip
        out("\n| editor | saves tried | saved (302) | refused (200) | 5xx | no answer | "
            "new revisions | saves verified | save p50 / p95 ms (POST) | autosaves (200) "
            "| autosave p50 / p95 ms |")  # fmt: skip
        out("|---|---|---|---|---|---|---|---|---|---|---|")
        failures = overall.server_errors + overall.socket_errors + overall.timeouts
        for editor in sorted({story.editor for story in stories}):
            mine = [story for story in stories if story.editor == editor]
            saves = [save for story in mine for save in story.saves]
            statuses = [status for _, status, _ in saves]
            checks = [self.verify(story) for story in mine]
            fives = sum(1 for s in statuses if s and s >= 500)
            ok = all(check["ok"] for check in checks)
            failures += fives + (not ok) + statuses.count(None)
            times = sorted(seconds * 1000 for _, _, seconds in saves) or [0]
            autosaves = [a for story in mine for a in story.autosaves]
            autosaved = sum(1 for status, _ in autosaves if status == 200)
            failures += len(autosaves) - autosaved  # a 5xx, a refusal or no answer
            typing = sorted(seconds * 1000 for _, seconds in autosaves) or [0]
            typing_p50, typing_p95 = typing[len(typing) // 2], typing[int(len(typing) * 0.95)]
            out(f"| {editor} | {len(saves)} | {sum(c['saved'] for c in checks)} | "
                f"{statuses.count(200)} | {fives} | {statuses.count(None)} | "
                f"{sum(c['new'] for c in checks)} | {sum(c['verified'] for c in checks)} "
                f"{'✓' if ok else '✗'} | {times[len(times) // 2]:,.0f} / "
                f"{times[int(len(times) * 0.95)]:,.0f} | {len(autosaves)} ({autosaved}) | "
                f"{typing_p50:,.0f} / {typing_p95:,.0f} |")  # fmt: skip
        if failures:
            raise CommandError(
                f"{failures} failures: 5xx, lost answers, failed autosaves or unverified saves."
            )
        self.stdout.write(self.style.SUCCESS("\nNo 5xx, no lost or corrupted save or autosave."))
