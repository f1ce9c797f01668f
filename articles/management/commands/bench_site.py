"""Benchmark the public site the way production serves it: gunicorn (3 sync workers) on
PostgreSQL, loaded by wrk over loopback, uncached and with the page cache on Redis. Every
figure is shown next to a fixed page of the same size through the same server and
middleware: the ceiling for any Django page on this machine."""

import os
import re
import secrets
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from articles.models import Article, RelatedArticle

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Load-test the site with gunicorn and wrk; print req/s and latency per page."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=8, help="Load per page and mode.")
        parser.add_argument("--connections", type=int, default=12)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL")
                            or "redis://127.0.0.1:6379/14")  # fmt: skip

    def handle(self, *args, seconds, connections, workers, redis_url, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        if not Path("/usr/bin/wrk").exists():
            raise CommandError("wrk is missing: apt-get install wrk")
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
        rows = []
        for mode, page_cache in (("uncached", "off"), ("cached", "on")):
            with self.server(page_cache, redis_url) as base:
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

    def server(self, page_cache: str, redis_url: str):
        command = self
        port = free_port()

        class Server:
            def __enter__(self):
                env = {
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
                    "SECRET_KEY": secrets.token_urlsafe(64),
                    "DATABASE_URL": os.environ["DATABASE_URL"],
                    "ALLOWED_HOSTS": "127.0.0.1,localhost",
                    "SECURE_SSL_REDIRECT": "false",
                    "PAGE_CACHE": page_cache,
                    "REDIS_URL": redis_url,
                    "BENCHMARK_VIEWS": "true",
                    "SERVE_MEDIA": "true",
                    "DB_CONN_MAX_AGE": "60",
                    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                    "LOG_LEVEL": "ERROR",
                }
                subprocess.run(  # as the production image does
                    [os.sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                    env=env, cwd=settings.BASE_DIR, check=True,
                )  # fmt: skip
                self.process = subprocess.Popen(
                    [str(Path(os.sys.executable).parent / "gunicorn"), "newsroom.wsgi:application",
                     "--bind", f"127.0.0.1:{port}", "--workers", str(command.workers),
                     "--worker-class", "sync", "--log-level", "warning"],
                    env=env, cwd=settings.BASE_DIR,
                )  # fmt: skip
                base = f"http://127.0.0.1:{port}"
                for _ in range(100):
                    try:
                        urllib.request.urlopen(base + "/robots.txt", timeout=2)
                        break
                    except OSError:
                        time.sleep(0.2)
                else:
                    raise CommandError("gunicorn did not start")
                if page_cache == "on":
                    import redis

                    redis.Redis.from_url(redis_url).flushdb()
                return base

            def __exit__(self, *exc):
                self.process.terminate()
                self.process.wait(10)

        return Server()

    def warm(self, url: str) -> None:
        for _ in range(5):
            urllib.request.urlopen(url).read()

    def load(self, url: str):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        result = subprocess.run(
            ["wrk", f"-t{min(2, self.connections)}", f"-c{self.connections}", f"-d{self.seconds}s",
             "-s", script.name, url],
            capture_output=True, text=True, timeout=self.seconds + 30,
        )  # fmt: skip
        os.unlink(script.name)
        match = re.search(r"RESULT (\d+) ([\d.]+) (\d+) (\d+) (\d+)", result.stdout)
        errors = re.search(r"ERRORS (\d+)", result.stdout)
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
        if not match:
            raise CommandError(f"wrk failed on {url}: {result.stdout}{result.stderr}")
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
        client.get("/admin/articles/article/")
        timings = []
        for _ in range(15):
            started = time.perf_counter()
            assert client.get("/admin/articles/article/").status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        self.stdout.write(f"\nadmin story list: p50 {statistics.median(timings):.0f} ms, "
                          f"p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms")  # fmt: skip
