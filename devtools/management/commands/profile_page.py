"""Profile rendering one public page (pyinstrument), uncached, for docs/performance.md."""

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings

from caching import store


class Command(BaseCommand):
    help = (
        "Render a public page N times in-process with the page cache off; print a profile. "
        "--cold empties every cache (fragments, remembered values) before each request."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="e.g. / or /europe/some-story/")
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument(
            "--cold", action="store_true", help="Empty the caches before each request."
        )

    def handle(self, *args, path, requests, cold, **options):
        from pyinstrument import Profiler

        client = Client(HTTP_HOST="localhost")
        with override_settings(PAGE_CACHE=False, ALLOWED_HOSTS=["localhost"]):
            for _ in range(3):  # warm: connections, template loader
                if client.get(path).status_code != 200:
                    raise CommandError(f"{path} does not answer 200.")
            profiler = Profiler(interval=0.0005)
            for _ in range(requests):
                if cold:  # outside the profile
                    cache.clear()
                    store.clear()
                profiler.start()
                client.get(path)
                profiler.stop()
        state = "cold (caches emptied before each)" if cold else "warm"
        self.stdout.write(f"{requests} {state} requests of {path}:")
        self.stdout.write(profiler.output_text(unicode=False, color=False))
