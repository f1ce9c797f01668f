"""Time a page-cache hit in-process, against the fixed page of the same size: the ratio the
benchmark's "cached pages ≥ 80% of the ceiling" target is about, without gunicorn or wrk."""

import statistics
import sys
import time
from io import BytesIO

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Time a cached page and the fixed page through Django's WSGI handler; print both."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="/", help="e.g. / or /europe/a-story/")
        parser.add_argument("--requests", type=int, default=2000)
        parser.add_argument("--rounds", type=int, default=5, help="Best-of rounds, alternating.")
        parser.add_argument("--profile", action="store_true", help="Profile the hits too.")

    def handle(self, *args, path, requests, rounds, profile, **options):
        # As it is configured: settings overridden in-process would slow every request.
        if not settings.PAGE_CACHE:
            raise CommandError("The page cache is off: unset PAGE_CACHE.")
        handler = WSGIHandler()
        status, headers, body = self.request(handler, path)
        if status != "200 OK":
            raise CommandError(f"{path} answers {status}, not 200.")
        status, headers, body = self.request(handler, path)
        if headers.get("X-Cache") != "hit":
            raise CommandError(f"{path} is not a cache hit ({headers.get('X-Cache')}).")
        fixed = f"/_bench/fixed/?size={len(body)}"
        walls, cpus = {path: [], fixed: []}, {path: [], fixed: []}
        for _ in range(rounds):  # alternate, so a busy moment weighs on both alike
            for url in walls:
                wall, cpu = self.time(handler, url, requests)
                walls[url].append(wall)
                cpus[url].append(cpu)
        if profile:
            self.profile(handler, path, requests)
        out = self.stdout.write
        out(f"{len(body)} bytes; best of {rounds} x {requests} requests (median in brackets)")
        for url in walls:
            out(
                f"{'hit' if url == path else 'fixed':<5} {url}: wall {min(walls[url]) * 1e6:.0f} "
                f"µs ({statistics.median(walls[url]) * 1e6:.0f}), this process's CPU "
                f"{min(cpus[url]) * 1e6:.0f} µs ({statistics.median(cpus[url]) * 1e6:.0f})"
            )
        # Wall time includes the Redis round trip (and, on a busy box, waiting for a core);
        # CPU time is this process's share only.
        out(
            f"hit vs fixed page: wall {min(walls[fixed]) / min(walls[path]):.2f}, "
            f"CPU {min(cpus[fixed]) / min(cpus[path]):.2f}"
        )

    def request(self, handler, url: str):
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(b""), "wsgi.errors": sys.stderr,
            "HTTP_ACCEPT_ENCODING": "gzip", "HTTP_USER_AGENT": "time_cache_hit",
        }  # fmt: skip
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, dict(headers)

        response = handler(environ, start_response)
        body = b"".join(response)
        response.close()
        return answer["status"], answer["headers"], body

    def time(self, handler, url: str, requests: int) -> tuple[float, float]:
        """Wall and CPU seconds per request, as gunicorn's sync worker would call Django."""
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(requests):
            self.request(handler, url)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        return wall / requests, cpu / requests

    def profile(self, handler, path: str, requests: int) -> None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0001)
        profiler.start()
        for _ in range(requests):
            self.request(handler, path)
        profiler.stop()
        self.stdout.write(profiler.output_text(unicode=False, color=False))
