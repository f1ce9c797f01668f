"""`manage.py bench_fold --events 1000000`: how fast the worker folds, and whether its memory
stays flat. Buffers N events in a Redis stream of its own (pipelined XADD, a newsroom's mix:
5,000 stories read unevenly, returning visitors, sources, devices, engaged-time reports,
newsletter clicks and sign-ups), folds them with `fold_pending`, prints events, seconds,
events a second and the process's peak memory at 25/50/75/100 % of the way.

It empties the audience figures and the fold's cursor first: run it on a benchmark database
(`DATABASE_URL=…/newsroom_bench_fold`), with stories from `generate_corpus --articles 5000`.
"""

import random
import resource
import time

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import Article
from audience import folding, models
from audience.buffer import RedisBuffer
from audience.events import CLICK, ENGAGED, SIGNUP, VIEW, Event

STREAM = "bench:audience:events"
REFERRERS = [("direct", ""), ("search", "google.com"), ("search", "duckduckgo.com"),
             ("social", "bsky.app"), ("social", "facebook.com"), ("newsletter", ""),
             ("site", "news.ycombinator.com"), ("internal", "")]  # fmt: skip
REFERRER_WEIGHTS = [30, 25, 4, 6, 8, 10, 3, 14]
DEVICES, DEVICE_WEIGHTS = ["mobile", "desktop", "tablet"], [62, 33, 5]
COUNTRIES = ["US", "GB", "DE", "FR", "IL", "UA", "IN", "CA", "", "", ""]
FIGURES = [models.DayFigures, models.HourFigures, models.DayBreakdown, models.DaySearch,
           models.DayVisitor, models.LiveReader, models.NewsletterClicks,
           models.SignupsFromStory, models.FoldCursor]  # fmt: skip
TERMS = ["ceasefire", "nato summit", "election results", "budget", "climate talks", "ukraine"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Time the fold of N buffered audience events (empties the audience figures first)."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=1_000_000)
        parser.add_argument("--batch", type=int, default=settings.AUDIENCE_FOLD_BATCH)
        parser.add_argument("--stories", type=int, default=5000)
        parser.add_argument("--visitors", type=int, default=200_000)
        parser.add_argument("--redis", default=settings.CACHES["default"].get("LOCATION") or "",
                            help="Redis URL (default: the cache's)")  # fmt: skip
        parser.add_argument("--seed", type=int, default=23)

    def handle(self, *args, events, batch, stories, visitors, redis, seed, **options):
        # DEBUG (development settings) keeps the text of the last 9,000 statements, each a
        # batch's rows: memory that would grow with N and say nothing about the fold's.
        settings.DEBUG = False
        name = connection.settings_dict["NAME"]
        if "bench" not in name and "test" not in name:
            raise CommandError(f"{name} is not a benchmark database: this empties its figures.")
        if not redis.startswith("redis"):
            raise CommandError("No Redis: give --redis redis://host:port/db.")
        client = _redis_client(redis)
        store = RedisBuffer(client, STREAM)
        client.delete(STREAM)
        for model in FIGURES:
            model.objects.all().delete()

        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:stories])
        known = len(ids)
        ids += range(10**9, 10**9 + stories - known)  # stories the database does not have
        started = time.perf_counter()
        self.buffer_events(client, events, ids, visitors, random.Random(seed))
        self.stdout.write(
            f"Buffered {events:,} events for {stories:,} stories ({known:,} in the database) "
            f"in {time.perf_counter() - started:.1f} s; folding in batches of {batch:,}"
        )

        started, marks, folded = time.perf_counter(), [], 0
        for quarter in (1, 2, 3, 4):
            goal = events * quarter // 4
            folded += folding.fold_pending(batch_size=batch, limit=goal - folded, store=store)
            marks.append(f"{quarter * 25}%: {peak_rss_mb():.0f} MB")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Folded {folded:,} events in {seconds:.1f} s: {folded / seconds:,.0f} events/s; "
            f"peak RSS {', '.join(marks)}"
        )
        client.delete(STREAM)

    def buffer_events(self, client, count, ids, visitors, rng) -> None:
        """`count` events over the last 24 hours, appended 10,000 a round trip."""
        now = time.time()
        weights = [1 / (rank + 1) for rank in range(len(ids))]  # a few stories read most
        chunk = 10_000
        for start in range(0, count, chunk):
            n = min(chunk, count - start)
            targets = rng.choices(ids, weights, k=n)
            sources = rng.choices(REFERRERS, REFERRER_WEIGHTS, k=n)
            devices = rng.choices(DEVICES, DEVICE_WEIGHTS, k=n)
            with client.pipeline(transaction=False) as pipe:
                for story, (referrer, domain), device in zip(
                    targets, sources, devices, strict=True
                ):
                    pipe.xadd(STREAM, {"e": _event(rng, now, story, referrer, domain, device,
                                                   visitors).encode()})  # fmt: skip
                pipe.execute()


def _event(rng, now, story, referrer, domain, device, visitors) -> Event:
    at = now - rng.random() * 86400
    roll = rng.random()
    if roll < 0.01:
        return Event(
            at=at, kind=CLICK, target="story", target_id=story, issue_id=rng.randint(1, 40)
        )
    if roll < 0.015:
        return Event(at=at, kind=SIGNUP, target="story", target_id=story, newsletter_id=1)
    visitor = "" if rng.random() < 0.1 else f"{rng.randrange(visitors):032x}"
    if roll < 0.27:
        return Event(at=at, kind=ENGAGED, target="story", target_id=story,
                     seconds=int(rng.expovariate(1 / 70)), ended=rng.random() < 0.3)  # fmt: skip
    if roll < 0.30:
        term = rng.choice(TERMS) if rng.random() < 0.5 else ""
        return Event(at=at, kind=VIEW, path="/search/" if term else "/", term=term,
                     referrer=referrer, domain=domain, device=device, visitor=visitor)  # fmt: skip
    return Event(at=at, kind=VIEW, target="story", target_id=story, path=f"/story/{story}/",
                 referrer=referrer, domain=domain, device=device,
                 country=rng.choice(COUNTRIES), visitor=visitor)  # fmt: skip


def _redis_client(url: str):
    return redis.Redis.from_url(url)
