"""Benchmark the public site the way production serves it: gunicorn (3 sync workers) on
PostgreSQL, loaded by wrk over loopback, uncached and with the page cache on Redis. Every
figure is shown next to a fixed page of the same size through the same server and
middleware: the ceiling for any Django page on this machine."""

import os
import re
import statistics
import time
import urllib.request

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from articles.models import Article, RelatedArticle
from devtools.management.benchmarking import check_tools, gunicorn, run_wrk

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.2f %d %d %d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
  io.write(string.format("ERRORS %d %d\\n",
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, 0))
end
"""


class Command(BaseCommand):
    help = "Load-test the site with gunicorn and wrk; print req/s and latency per page."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=8, help="Load per page and mode.")
        parser.add_argument("--connections", type=int, default=12)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--cached-only", action="store_true",
                            help="Only the cached run: no uncached run, no admin.")  # fmt: skip
        parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL")
                            or "redis://127.0.0.1:6379/14")  # fmt: skip

    def handle(self, *args, seconds, connections, workers, redis_url, cached_only, **options):
        check_tools(connection)
        self.seconds, self.connections, self.workers = seconds, connections, workers
        story = self.heavy_story()
        pages = {
            "home": "/",
            "article": story.get_absolute_url(),
            "section": story.section.get_absolute_url(),
            "search": "/search/?q=peace+talks",
            "feed": "/feeds/rss/",
        }
        stories = Article.objects.count()
        self.stdout.write(f"{stories} stories; gunicorn {workers} sync workers; wrk "
                          f"{connections} connections, {seconds}s per page\n")  # fmt: skip
        rows, alone = [], None
        modes = (("uncached", "off"), ("cached", "on"))[1 if cached_only else 0 :]
        for mode, page_cache in modes:
            with gunicorn(page_cache=page_cache, redis_url=redis_url, workers=workers) as base:
                size = len(urllib.request.urlopen(base + pages["article"]).read())
                pages["fixed page"] = f"/_bench/fixed/?size={size}"
                for name, path in pages.items():
                    self.warm(base + path)
                    rows.append((mode, name, *self.load(base + path)))
                if mode == "uncached":  # one reader alone: latency without queueing
                    connections_under_load, self.connections = self.connections, 1
                    alone = self.load(base + pages["search"])
                    self.connections = connections_under_load
        self.report(rows)
        if cached_only:
            return
        self.stdout.write(f"\nsearch, one reader alone (uncached): p50 {alone[1]:.1f} ms, "
                          f"p95 {alone[2]:.1f} ms, p99 {alone[3]:.1f} ms")  # fmt: skip
        self.admin_timing()

    def heavy_story(self) -> Article:
        """A live story with related teasers and a series, like the article spec."""
        story = (
            Article.objects.live()
            .filter(series__isnull=False, lead_image__isnull=False)
            .order_by("-publish_at")
            .first()
        ) or Article.objects.live().order_by("-publish_at").first()
        if story is None:
            raise CommandError("No live story: run generate_corpus first.")
        others = Article.objects.live().exclude(pk=story.pk).values_list("pk", flat=True)[:3]
        for order, other in enumerate(others):
            RelatedArticle.objects.get_or_create(article=story, related_id=other,
                                                 defaults={"order": order})  # fmt: skip
        return story

    def warm(self, url: str) -> None:
        for _ in range(5):
            urllib.request.urlopen(url).read()

    def load(self, url: str):
        output = run_wrk(url, script=WRK_SCRIPT, connections=self.connections,
                         seconds=self.seconds)  # fmt: skip
        match = re.search(r"RESULT (\d+) ([\d.]+) (\d+) (\d+) (\d+)", output)
        errors = re.search(r"ERRORS (\d+)", output)
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if not match:
            raise CommandError(f"wrk failed on {url}: {output}")
        requests, duration, p50, p95, p99 = match.groups()
        bad = int(errors.group(1)) + (int(non_2xx.group(1)) if non_2xx else 0)
        return int(requests) / float(duration), int(p50) / 1000, int(p95) / 1000, \
            int(p99) / 1000, bad  # fmt: skip

    def report(self, rows) -> None:
        ceiling = {mode: rps for mode, name, rps, *_ in rows if name == "fixed page"}
        out = self.stdout.write
        out(f"{'mode':<9} {'page':<11} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'vs fixed':>9} {'errors':>7}")  # fmt: skip
        for mode, name, rps, p50, p95, p99, bad in rows:
            out(f"{mode:<9} {name:<11} {rps:>8.0f} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} "
                f"{rps / ceiling[mode]:>8.0%} {bad:>7}")  # fmt: skip

    def admin_timing(self) -> None:
        """The editors' story list, timed in-process with a logged-in superuser."""
        user, _ = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        lists = {
            "admin story list": "/admin/articles/article/",
            "admin story search": "/admin/articles/article/?q=peace+talks",
            "admin story list, page 10": "/admin/articles/article/?p=10",
        }
        for name, url in lists.items():
            client.get(url)
            timings = []
            for _ in range(15):
                started = time.perf_counter()
                assert client.get(url).status_code == 200
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            self.stdout.write(f"\n{name}: p50 {statistics.median(timings):.0f} ms, "
                              f"p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms")  # fmt: skip
