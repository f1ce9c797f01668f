"""`make bench`: our pages next to the Wagtail peer and the Django ceiling, in the same
interleaved wrk rounds of the peer harness (/work/shared/peers/run_peer.sh), then search and the
admin story list at 100,000 stories. Run it against the benchmark archive's database
(DATABASE_URL, a 5,000-story archive shaped like the peer's articles: made, or reused once
checked). See docs/performance.md, "make bench (issue 13)"."""

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection

from devtools import peer_bench
from devtools.management.benchmarking import check_tools, gunicorn

# One reader's mix, taken in turn. In the generated archive "common" words are in nearly every
# story (two thirds for a place name), a phrase in about 6%, a negation in a third, and the
# last word in none.
SEARCH_QUERIES = [
    ("common", "peace talks"), ("common", "sanctions"), ("common", "ceasefire ukraine"),
    ("common", "nuclear"), ("common", "security council"), ("common", "armistice kosovo"),
    ("rare", '"grain corridor"'), ("rare", '"peace talks"'), ("rare", "tribunal -russia"),
    ("rare", "zeppelin"),
]  # fmt: skip
HARNESS_ENVIRONMENT = {
    "PATH", "HOME", "LANG", "LC_ALL", "TERM", "TMPDIR", "USER", "VENV", "RESEED", "WORKERS",
    "THREADS", "CONNS", "DURATION", "WARMUP", "ROUNDS", "PEER_NO_CACHE",
}  # fmt: skip
QUICK = {"rounds": 1, "duration": 3, "warmup": 1, "search_requests": 30, "admin_requests": 6}


class Command(BaseCommand):
    help = (
        "Benchmark our pages (uncached and cached) and a cold crawl next to the Wagtail peer "
        "and the Django ceiling in one run of the peer harness; then search percentiles and "
        "the admin story list at 100,000 stories. Prints every figure as a ratio."
    )

    def add_arguments(self, parser):
        add = parser.add_argument
        add("--harness", default=os.environ.get("PEER_HARNESS", "/work/shared/peers/run_peer.sh"))
        add("--articles", type=int, default=5000, help="Stories in the archive (DATABASE_URL).")
        add("--search-db", default="newsroom_bench", help="The 100,000-story database.")
        add("--search-articles", type=int, default=100_000)
        add("--uncached-port", type=int, default=8103)
        add("--cached-port", type=int, default=8104)
        add("--search-port", type=int, default=8105)
        add("--redis", default="redis://127.0.0.1:6379", help="Redis server (no database).")
        add("--uncached-redis-db", type=int, default=7, help="Fragments, for the uncached run.")
        add("--cached-redis-db", type=int, default=6, help="The page cache's database.")
        add("--rounds", type=int, help="Measured rounds (the harness's default: 3).")
        add("--duration", type=int, help="Seconds per wrk run (the harness's default: 10).")
        add("--warmup", type=int, help="Seconds of warm-up per target (harness default: 3).")
        add("--search-requests", type=int, default=200)
        add("--admin-requests", type=int, default=40)
        add("--results", default="/tmp/newsroom-bench")
        add("--quick", action="store_true",
            help="A smoke test: 1 round of 3 s, few search requests; searches the archive "
                 "itself when the 100,000-story database is missing.")  # fmt: skip

    def handle(self, *args, **options):
        check_tools(connection)
        if options["quick"]:
            options.update({k: options.get(k) or v for k, v in QUICK.items()})
            options["search_requests"] = min(options["search_requests"], QUICK["search_requests"])
            options["admin_requests"] = min(options["admin_requests"], QUICK["admin_requests"])
        self.options = options
        self.out = Path(options["results"]) / time.strftime("%Y%m%d-%H%M%S")
        self.out.mkdir(parents=True, exist_ok=True)
        # A `kill` ends the run as Ctrl-C does: every server it started is stopped on the way.
        signal.signal(signal.SIGTERM, _interrupt)
        started = time.monotonic()

        self.ensure_archive(options["articles"])
        search_url = self.ensure_search_db()
        search = self.time_search(search_url)
        admin = self.time_admin_list(search_url)
        pages = peer_bench.bench_pages()
        paths = self.out / "crawl-paths.txt"
        paths.write_text("\n".join(peer_bench.crawl_paths()) + "\n")
        rows = self.run_harness(pages, paths)

        ceiling = peer_bench.ceiling_ms(rows)
        report = [
            "",
            f"make bench: our pages vs Wagtail (same rounds), ceiling {peer_bench.CEILING}",
            *peer_bench.page_table(rows),
            "",
            f"One reader ({search['stories']} stories); x ceiling = ceiling's ms per request "
            f"({ceiling or 0:.3f} ms) / p50:",
            peer_bench.timing_line(
                "search",
                search["timings"],
                ceiling,
                f"target p95 < {peer_bench.SEARCH_P95_MS:.0f} ms: "
                + ("met" if search["timings"]["p95"] < peer_bench.SEARCH_P95_MS else "MISSED"),
            ),  # fmt: skip
            *(
                peer_bench.timing_line(f"search, {kind}", found, ceiling)
                for kind, found in search["by_kind"].items()
            ),
            peer_bench.timing_line(
                "admin story list", admin, ceiling, "(in-process, target < 300 ms)"
            ),  # fmt: skip
            "",
            f"pages: {pages}",
            f"results in {self.out}; {time.monotonic() - started:.0f} s in all",
        ]
        (self.out / "report.txt").write_text("\n".join(report) + "\n")
        self.stdout.write("\n".join(report))

    # --- The databases -------------------------------------------------------------------

    def ensure_archive(self, articles: int) -> None:
        """Reuse the archive when it holds exactly what generate_corpus --like-peer makes;
        else drop it and make it again."""
        try:
            call_command("migrate", interactive=False, verbosity=0)
            problems = peer_bench.archive_problems(articles)
        except OperationalError as error:  # no such database yet
            problems = [str(error).strip().splitlines()[-1]]
        if not problems:
            self.log(f"archive {connection.settings_dict['NAME']}: {articles} stories, checked")
            return
        name = connection.settings_dict["NAME"]
        self.log(f"archive {name}: {'; '.join(problems)}; making it again")
        connection.close()
        self.pg("dropdb", "--if-exists", "--force", name)
        self.pg("createdb", name)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("generate_corpus", articles=articles, verbosity=1, **peer_bench.PEER_ARCHIVE)
        problems = peer_bench.archive_problems(articles)
        if problems:
            raise CommandError(f"The new archive is not right: {'; '.join(problems)}")

    def ensure_search_db(self) -> str:
        """The 100,000-story database for search and the admin list: migrated, and filled
        by generate_corpus only when it holds fewer stories (that takes minutes)."""
        name, wanted = self.options["search_db"], self.options["search_articles"]
        url = _database_url(name)
        if self.options["quick"]:  # a smoke test never waits minutes for a corpus
            if self.stories_in(url):
                self.log(f"quick run: searching {name} as it is")
                return url
            self.log(f"quick run: {name} is missing or empty; searching the archive instead")
            return os.environ["DATABASE_URL"]
        if self.stories_in(url) is None:
            self.pg("createdb", name)
        self.manage(url, "migrate", "--noinput", "-v0")
        have = self.stories_in(url)
        if have < wanted:
            self.log(f"{name}: {have} stories; adding {wanted - have} (takes minutes)")
            self.manage(url, "generate_corpus", "--articles", str(wanted - have))
        return url

    def stories_in(self, url: str) -> int | None:
        """How many stories the database at `url` holds; None if it does not exist."""
        try:
            with psycopg.connect(url) as db:
                return db.execute(
                    "SELECT count(*) FROM articles_article"
                ).fetchone()[0]  # fmt: skip
        except psycopg.OperationalError:
            return None
        except psycopg.errors.UndefinedTable:
            return 0

    # --- One reader: search and the admin story list ---------------------------------------

    def time_search(self, url: str) -> dict:
        """Search on the big database through gunicorn (page cache off), one request at a
        time over one connection, cycling through common words, a rare phrase and a miss."""
        requests = self.options["search_requests"]
        port = self.options["search_port"]
        redis_url = f"{self.options['redis']}/{self.options['uncached_redis_db']}"
        with gunicorn(page_cache="off", redis_url=redis_url, workers=3, port=port,
                      database_url=url) as base:  # fmt: skip
            http = HTTPConnection(urlsplit(base).netloc, timeout=30)
            for _, query in SEARCH_QUERIES:  # warm: connections, templates, PostgreSQL's buffers
                _get(http, _search_path(query))
            timings, by_kind = [], {"common": [], "rare": []}
            for n in range(requests):
                kind, query = SEARCH_QUERIES[n % len(SEARCH_QUERIES)]
                started = time.perf_counter()
                _get(http, _search_path(query))
                elapsed = (time.perf_counter() - started) * 1000
                timings.append(elapsed)
                by_kind[kind].append(elapsed)
            http.close()
        found = {
            "stories": self.stories_in(url),
            "timings": peer_bench.percentiles(timings),
            "by_kind": {kind: peer_bench.percentiles(t) for kind, t in by_kind.items() if t},
        }
        self.log(peer_bench.timing_line("search", found["timings"], None))
        return found

    def time_admin_list(self, url: str) -> dict:
        """bench_desk's story list timing (in-process, a logged-in superuser, DEBUG off)."""
        output = self.manage(
            url, "bench_desk", "--story-list-only", "--requests",
            str(self.options["admin_requests"]), capture=True,
        )  # fmt: skip
        match = re.search(r"story list \(\d+ stories\): p50 ([\d.]+) ms, p95 ([\d.]+) ms", output)
        if not match:
            raise CommandError(f"bench_desk said: {output}")
        p50, p95 = (float(v) for v in match.groups())
        self.log(f"admin story list: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        return {"p50": p50, "p95": p95, "p99": p95}

    # --- The peer harness ----------------------------------------------------------------

    def run_harness(self, pages: dict[str, str], paths: Path) -> list[dict]:
        """Serve the archive uncached and cached, and run the harness with our pages as extra
        targets in the same rounds; returns its raw rows."""
        o = self.options
        redis = o["redis"]
        uncached_redis = f"{redis}/{o['uncached_redis_db']}"
        with (
            gunicorn(page_cache="off", redis_url=uncached_redis, workers=3,
                     port=o["uncached_port"], collect_static=False) as uncached,
            gunicorn(page_cache="on", redis_url=f"{redis}/{o['cached_redis_db']}", workers=3,
                     port=o["cached_port"], collect_static=False) as cached,
        ):  # fmt: skip
            targets = [f"ours_{page}_uncached={uncached}{path}" for page, path in pages.items()]
            targets += [f"ours_{page}_cached={cached}{path}" for page, path in pages.items()]
            targets.append(f"ours_crawl=crawl+{paths}+{uncached}/")
            labels = [t.split("=", 1)[0] for t in targets]
            env = {
                # Not our environment: the peer is a Django project too (DJANGO_SETTINGS_MODULE,
                # DATABASE_URL would be read as its own). Only the harness's own settings pass.
                **{k: v for k, v in os.environ.items() if k in HARNESS_ENVIRONMENT},
                "ARTICLES": str(o["articles"]),
                "CRAWL": "1",
                # Each crawl round starts with our caches empty (Wagtail's LocMem is per process)
                "CRAWL_RESET": f"redis-cli -u {shlex.quote(uncached_redis)} flushdb >/dev/null",
                "EXTRA_TARGETS": " ".join(targets),
                "ONLY": " ".join(["wagtail_article", "wagtail_home", "wagtail_section",
                                  "wagtail_crawl", peer_bench.CEILING, *labels]),
                "RESULTS": str(self.out / "peer"),
                **{name.upper(): str(o[name]) for name in ("rounds", "duration", "warmup")
                   if o.get(name)},
            }  # fmt: skip
            self.log(f"running {o['harness']} ({len(labels) + 5} targets)")
            _wait_for(subprocess.Popen([o["harness"]], env=env))
        raw = sorted((self.out / "peer").glob("*/raw.tsv"))
        if not raw:
            raise CommandError(f"The harness left no raw.tsv under {self.out / 'peer'}")
        return peer_bench.read_raw(raw[-1])

    # --- Helpers -------------------------------------------------------------------------

    def manage(self, url: str, *args: str, capture: bool = False) -> str:
        """manage.py on another database (development settings, DEBUG off)."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, text=True,
            env={**os.environ, "DATABASE_URL": url, "DEBUG": "false"},
            stdout=subprocess.PIPE if capture else None, check=True,
        )  # fmt: skip
        return result.stdout or ""

    def pg(self, tool: str, *args: str) -> None:
        db = connection.settings_dict
        where = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
        subprocess.run([tool, *where, "-U", db["USER"], *args], check=True)

    def log(self, message: str) -> None:
        self.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _wait_for(harness: subprocess.Popen) -> None:
    """Wait for the harness. Interrupted, give it time to stop the servers it started (its
    own trap does that); ask it with SIGTERM if Ctrl-C did not reach it."""
    try:
        code = harness.wait()
    except KeyboardInterrupt:
        try:
            harness.wait(5)
        except subprocess.TimeoutExpired:
            harness.terminate()
            harness.wait(60)
        raise
    if code:
        raise CommandError(f"The peer harness failed (exit {code}).")


def _database_url(name: str) -> str:
    """DATABASE_URL, on another database of the same server."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path=f"/{name}").geturl()


def _search_path(query: str) -> str:
    return f"/search/?q={quote_plus(query)}"


def _get(http: HTTPConnection, path: str) -> None:
    http.request("GET", path, headers={"Host": "127.0.0.1"})
    response = http.getresponse()
    response.read()
    if response.status != 200:
        raise CommandError(f"{path} answered {response.status}")
