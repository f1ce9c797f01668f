"""`make bench-audience` (and the end of `make bench`): what counting readers costs, as ratios
in one run (docs/audience.md, "Benchmarks").

1. A cached story page as a reader's browser loads it (GET the page, POST the beacon) through
   gunicorn with counting off (AUDIENCE_ENABLED=false: the endpoint answers 204 and buffers
   nothing) and on (buffering into Redis), and the beacon alone, in interleaved wrk rounds
   with the fixed-page ceiling of the peer harness (/work/shared/peers, limit_django).
   Targets: on/off >= 0.95, beacon/ceiling >= 0.5.
2. The fold of 1,000,000 events: FOLD's `bench_fold`, run as it is (skipped if missing).
3. The desk's audience pages on a year of rollups for every story of the 100,000-story
   database (--desk-db), made in SQL: p50/p95 per page, target p95 < 200 ms (skipped if the
   desk's URL names do not resolve).

Run against the peer benchmark's archive (DATABASE_URL) for the page; QUICK (--quick) is a
smoke test: one round of 3 s, 30 days of rollups on the archive itself, few requests.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import redis
from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import Article
from devtools import audience_bench as bench
from devtools.management.benchmarking import check_tools, free_port, gunicorn, run_wrk

LIMIT_SITE = Path("/work/shared/peers/limit_site")
BEACON = "/a/e"
# What audience/static/audience/beacon.js sends for a story's view (audience/collecting.py
# reads it); <page> becomes the page's path, <id> the story's.
BEACON_BODY = '{"k":"view","p":"<page>","r":"","t":"story","i":<id>}'
QUICK = {"rounds": 1, "duration": 3, "warmup": 1, "days": 30, "requests": 5,
         "fold_events": 50_000}  # fmt: skip
TARGETS = ("ceiling", "counting_off", "counting_on", "beacon")


class Command(BaseCommand):
    help = (
        "Benchmark audience counting: a cached page and its beacon with counting off and on, "
        "the beacon against the fixed-page ceiling, the fold (bench_fold) and the desk's "
        "audience pages on a year of rollups. Prints every figure as a ratio or p95."
    )

    def add_arguments(self, parser):
        add = parser.add_argument
        env = os.environ.get
        add("--rounds", type=int, default=int(env("ROUNDS", "3")))
        add("--duration", type=int, default=int(env("DURATION", "10")), help="s per wrk run")
        add("--warmup", type=int, default=int(env("WARMUP", "3")))
        add("--connections", type=int, default=int(env("CONNS", "16")))
        add("--workers", type=int, default=int(env("WORKERS", "3")))
        add("--redis", default="redis://127.0.0.1:6379", help="Redis server (no database).")
        add("--redis-db", type=int, default=8, help="The two servers' database (emptied).")
        add("--beacon-body", default=BEACON_BODY)
        add("--desk-db", default="newsroom_bench", help="The 100,000-story database.")
        add("--days", type=int, default=365, help="Days of rollups for the desk.")
        add("--requests", type=int, default=40, help="Requests per desk page.")
        add("--fold-events", type=int, default=1_000_000)
        add("--remake-rollups", action="store_true", help="Even if the desk db has them.")
        add("--desk-only", action="store_true", help="Only part 3, on DATABASE_URL.")
        add("--skip-pages", action="store_true")
        add("--skip-fold", action="store_true")
        add("--skip-desk", action="store_true")
        add("--quick", action="store_true", help="A smoke test (see the module's docstring).")

    def handle(self, *args, **options):
        if options["quick"]:
            options.update(QUICK)
        self.options = options
        if options["desk_only"]:
            self.stdout.write("\n".join(self.desk_lines()))
            return
        check_tools(connection)
        started, report = time.monotonic(), ["", "make bench-audience"]
        if not options["skip_pages"]:
            report += self.page_lines()
        if not options["skip_fold"]:
            report += self.fold_lines()
        if not options["skip_desk"]:
            report += self.desk_in_its_database()
        report.append(f"{time.monotonic() - started:.0f} s in all")
        self.stdout.write("\n".join(report))

    # --- 1. The page and its beacon ---------------------------------------------------------

    def page_lines(self) -> list[str]:
        o = self.options
        story = Article.objects.live().select_related("section").order_by("-publish_at").first()
        if story is None:
            return ["pages: skipped, no live story in DATABASE_URL (run make bench first)"]
        page = story.get_absolute_url()
        body = o["beacon_body"].replace("<page>", page).replace("<id>", str(story.pk))
        redis_url = f"{o['redis']}/{o['redis_db']}"
        shared = {"page_cache": "on", "redis_url": redis_url, "workers": o["workers"]}
        with (
            gunicorn(**shared, extra_env={"AUDIENCE_ENABLED": "false"}) as off,
            gunicorn(**shared, extra_env={"AUDIENCE_ENABLED": "true"}, collect_static=False) as on,
            self.ceiling(off) as (ceiling, ceiling_name),
        ):
            problem = _beacon_problem(on + BEACON, body)
            if problem:
                return [f"pages: skipped, {problem}"]
            stream = _stream(redis_url)
            before = stream()
            pair = bench.page_and_beacon_script(page, BEACON, body)
            runs = {
                "ceiling": (ceiling, bench.get_script()),
                "counting_off": (off + page, pair),
                "counting_on": (on + page, pair),
                "beacon": (on + BEACON, bench.beacon_script(BEACON, body)),
            }
            for label, (url, script) in runs.items():
                self.log(f"warm-up {label} ({o['warmup']} s)")
                self.wrk(url, script, o["warmup"])
            rounds = []
            for n in range(o["rounds"]):
                rounds.append({label: self.wrk(url, script, o["duration"])
                               for label, (url, script) in runs.items()})  # fmt: skip
                self.log(f"round {n + 1}: " + ", ".join(
                    f"{label} {found['rps']:.0f}/s" for label, found in rounds[-1].items()
                ))  # fmt: skip
            buffered = stream() - before
        on_off = bench.median_ratio(rounds, "counting_on", "counting_off")
        share = bench.median_ratio(rounds, "beacon", "ceiling")
        rps = {t: sorted(r[t]["rps"] for r in rounds)[len(rounds) // 2] for t in TARGETS}
        bad = {t: sum(r[t]["bad"] for r in rounds) for t in TARGETS}
        head = (
            f"Cached page + beacon, {o['rounds']} rounds of {o['duration']} s, "
            f"wrk -c{o['connections']}, gunicorn {o['workers']} workers; page {page}"
        )
        return [
            head,
            *(f"  {t:<13} {rps[t]:>9.1f} req/s  errors {bad[t]}" for t in TARGETS),
            f"  counting on / off       {_x(on_off)}  target >= 0.95x "
            f"{bench.verdict(on_off, 0.95)}",
            f"  beacon / ceiling        {_x(share)}  target >= 0.50x "
            f"{bench.verdict(share, 0.5)}  (ceiling: {ceiling_name})",
            f"  events buffered while counting was on: {buffered}"
            + ("  (none: is the beacon body the endpoint's format?)" if not buffered else ""),
        ]

    def ceiling(self, ours: str):
        """The peer harness's fixed-page Django site (limit_django) on a gunicorn of its own,
        or, without it, our own fixed page (/_bench/fixed/)."""
        if not (LIMIT_SITE / "limit_site" / "settings.py").exists():
            return _Given(ours + "/_bench/fixed/", "our /_bench/fixed/")
        return _LimitSite(self.options["workers"])

    def wrk(self, url: str, script: str, seconds: int) -> dict:
        output = run_wrk(url, script=script, connections=self.options["connections"],
                         seconds=seconds)  # fmt: skip
        return bench.read_wrk(output)

    # --- 2. The fold ------------------------------------------------------------------------

    def fold_lines(self) -> list[str]:
        if "bench_fold" not in get_commands():
            return ["fold: skipped, bench_fold is not here yet (audience/folding.py's command)"]
        events = self.options["fold_events"]
        self.log(f"bench_fold --events {events}")
        output = _manage(os.environ["DATABASE_URL"], "bench_fold", "--events", str(events))
        return [f"Fold ({events} events, bench_fold):", *_indented(output)]

    # --- 3. The desk's audience pages -------------------------------------------------------

    def desk_in_its_database(self) -> list[str]:
        """Part 3 in a process of its own on the desk database (its rollups are made there)."""
        name = os.environ["DATABASE_URL"] if self.options["quick"] else _database_url(
            self.options["desk_db"]
        )  # fmt: skip
        args = ["bench_audience", "--desk-only", "--days", str(self.options["days"]),
                "--requests", str(self.options["requests"])]  # fmt: skip
        if self.options["remake_rollups"]:
            args.append("--remake-rollups")
        self.log(f"desk pages on {name.rsplit('/', 1)[-1]}")
        return _manage(name, *args).splitlines()

    def desk_lines(self) -> list[str]:
        from devtools import audience_desk_bench

        return audience_desk_bench.desk_lines(self.options, log=self.log)

    def log(self, message: str) -> None:
        self.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}")


class _Given:
    def __init__(self, url: str, name: str):
        self.found = (url, name)

    def __enter__(self):
        return self.found

    def __exit__(self, *exc):
        return False


class _LimitSite:
    """The harness's limit_site under our gunicorn, as run_peer.sh serves it (it needs no
    database); stopped by its own process id."""

    def __init__(self, workers: int):
        self.workers, self.port = workers, free_port()

    def __enter__(self):
        gunicorn_bin = str(Path(sys.executable).parent / "gunicorn")
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(LIMIT_SITE),
               "DJANGO_SETTINGS_MODULE": "limit_site.settings"}  # fmt: skip
        self.process = subprocess.Popen(
            [gunicorn_bin, "limit_site.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--worker-class", "sync", "--log-level", "warning"],
            cwd=LIMIT_SITE, env=env,
        )  # fmt: skip
        url = f"http://127.0.0.1:{self.port}/limit/"
        for _ in range(100):
            try:
                urlopen(url, timeout=2).read()
                return url, "limit_django (/work/shared/peers)"
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise CommandError("The limit site did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return False


def _beacon_problem(url: str, body: str) -> str:
    """Why the beacon endpoint cannot be measured here, or ''."""
    request = Request(url, data=body.encode(), method="POST",
                      headers={"Content-Type": "text/plain;charset=UTF-8"})  # fmt: skip
    try:
        with urlopen(request, timeout=5) as response:
            status = response.status
    except HTTPError as error:
        status = error.code
    except OSError as error:
        return f"the beacon endpoint did not answer ({error})"
    if status not in (200, 202, 204):
        return f"POST {BEACON} answered {status} (the beacon endpoint is not here yet?)"
    return ""


def _stream(redis_url: str):
    """A function giving how many events the servers' Redis stream holds now."""
    client = redis.Redis.from_url(redis_url)
    prefix = os.environ.get("CACHE_KEY_PREFIX", "newsroom")
    return lambda: client.xlen(f"{prefix}:audience:events") if client.exists(
        f"{prefix}:audience:events"
    ) else 0  # fmt: skip


def _manage(url: str, *args: str) -> str:
    """manage.py on another database (DEBUG off; no statement timeout: making a year of
    rollups for 100,000 stories takes single statements of minutes), its output kept."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, text=True,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "false", "DB_STATEMENT_TIMEOUT": "0"},
        stdout=subprocess.PIPE, check=True,
    )  # fmt: skip
    return result.stdout


def _database_url(name: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def _indented(output: str) -> list[str]:
    return ["  " + line for line in output.strip().splitlines()]


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"
