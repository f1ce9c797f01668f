"""The demo's audience history (load_demo): four weeks of readers for the demo's live stories
and pages, so every chart on the desk has something to show from `make run` on.

The events are made as the beacon would have sent them (audience/events.py) and folded by
the worker's own code (audience.folding.fold_events): the desk reads them like real ones.
Views of a story rise on its publication day and fall away after; sources, devices,
countries, engaged time, reads to the end, searches, newsletter clicks of the sent issue and
sign-ups from the series' stories follow a plausible mix. Loaded once: a newsroom that has
any figures keeps them as they are. Deterministic (a fixed seed), and none in the last ten
minutes, so the live panel shows only real readers.
"""

import hashlib
import random
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta

from django.utils import timezone

from articles.models import Article
from audience.events import CLICK, ENGAGED, SIGNUP, VIEW, Event
from audience.folding import fold_events, forget_old_visitors
from audience.models import DayFigures
from pages.models import Page

DAYS = 28
SOURCES = [  # (referrer class, domain), weight
    (("direct", ""), 28), (("search", "google.com"), 24), (("search", "duckduckgo.com"), 4),
    (("social", "bsky.app"), 7), (("social", "facebook.com"), 6), (("newsletter", ""), 9),
    (("site", "news.ycombinator.com"), 3), (("site", "theguardian.com"), 2),
    (("internal", ""), 17),
]  # fmt: skip
DEVICES = [("mobile", 60), ("desktop", 34), ("tablet", 6)]
COUNTRIES = [("US", 40), ("GB", 12), ("DE", 7), ("FR", 5), ("IL", 5), ("UA", 4), ("", 27)]
SEARCHES = ["ceasefire", "NATO summit", "Gaza aid", "defense budget", "Syria", "Ukraine",
            "Diplomacy Watch", "sanctions"]  # fmt: skip


def load(*, log: Callable[[str], None]) -> int:
    """Fold the history if the newsroom has no figures yet; how many events it made."""
    if DayFigures.objects.exists():
        return 0
    events = list(history(random.Random(23), timezone.now()))
    fold_events(events)
    forget_old_visitors()  # the hashes of past days mean nothing (their salt is gone)
    log(f"Audience: {len(events)} events of reading over {DAYS} days")
    return len(events)


def history(rng: random.Random, now: datetime) -> Iterator[Event]:
    """Each of the last DAYS days' events, today's up to ten minutes ago."""
    stories = list(
        Article.objects.live()
        .filter(publish_at__isnull=False)
        .values_list("pk", "publish_at", "series_id", "slug")
    )
    pages = list(Page.objects.live().values_list("pk"))
    letters, issues = _newsletters()
    until = now - timedelta(minutes=10)
    zone = timezone.get_current_timezone()
    for days_ago in range(DAYS - 1, -1, -1):
        day = timezone.localdate(now) - timedelta(days=days_ago)
        start = datetime.combine(day, time.min, zone)
        end = min(start + timedelta(days=1), until)
        if end <= start:
            continue
        reader = _Readers(rng, day, start, end)
        # Home, listings and search: a weekday's steady traffic.
        for _ in range(rng.randint(120, 200) if day.weekday() < 5 else rng.randint(70, 110)):
            yield reader.view("other", 0, rng.choice(["/", "/", "/", "/world/", "/search/"]))
        for (pk,) in pages:
            for _ in range(rng.randint(2, 9)):
                yield reader.view("page", pk, "/about/")
        for rank, (pk, published, series_id, slug) in enumerate(stories):
            if published >= end:
                continue
            age = max(0.0, (start - published).total_seconds() / 86400)
            peak = 900 / (1 + rank * 0.35)
            views = int(peak * 0.45**age + rng.randint(0, 4))
            first = max(start, published)
            for _ in range(views):
                event = reader.view("story", pk, f"/{slug}/", after=first)
                yield event
                if rng.random() < 0.62:
                    yield Event(
                        at=min(event.at + rng.uniform(20, 600), end.timestamp()),
                        kind=ENGAGED, target="story", target_id=pk, path=event.path,
                        visitor=event.visitor, seconds=int(rng.expovariate(1 / 85)) + 5,
                        ended=rng.random() < 0.38,
                    )  # fmt: skip
            if series_id and views:
                for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                    yield Event(
                        at=reader.moment(first),
                        kind=SIGNUP,
                        target="story",
                        target_id=pk,
                        newsletter_id=letters.get(series_id, 0),
                    )
        for issue_id, sent_at, story_ids in issues:
            if start <= sent_at < end or start <= sent_at + timedelta(days=1) < end:
                for story_id in story_ids:
                    for _ in range(rng.randint(3, 14)):
                        yield Event(
                            at=reader.moment(max(start, sent_at)),
                            kind=CLICK,
                            target="story",
                            target_id=story_id,
                            issue_id=issue_id,
                        )


class _Readers:
    """One day's readers: a pool of visitor hashes (some come back), sources and devices."""

    def __init__(self, rng, day, start, end):
        self.rng, self.day, self.start, self.end = rng, day, start, end
        self.pool = rng.randint(300, 600)

    def moment(self, after: datetime) -> float:
        start = max(after, self.start).timestamp()
        return start + self.rng.random() * max(1.0, self.end.timestamp() - start - 1)

    def view(self, target: str, pk: int, path: str, after=None) -> Event:
        rng = self.rng
        (referrer, domain), device, country = (
            rng.choices(*zip(*table, strict=True))[0] for table in (SOURCES, DEVICES, COUNTRIES)
        )
        number = rng.randrange(self.pool)
        visitor = "" if rng.random() < 0.08 else _hash(f"{self.day}:{number}")  # GPC or DNT
        term = rng.choice(SEARCHES) if path == "/search/" else ""
        return Event(at=self.moment(after or self.start), kind=VIEW, target=target,
                     target_id=pk, path=path, referrer=referrer, domain=domain, device=device,
                     country=country, visitor=visitor, term=term)  # fmt: skip


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _newsletters() -> tuple[dict[int, int], list[tuple[int, datetime, list[int]]]]:
    """Each series' newsletter, and the sent issues with their stories."""
    from newsletters.models import Issue, Newsletter

    letters = dict(Newsletter.objects.filter(series__isnull=False).values_list("series_id", "pk"))
    return letters, [
        (issue.pk, issue.sent_at, [item.article_id for item in issue.items.all()])
        for issue in Issue.objects.filter(
            state=Issue.State.SENT, sent_at__isnull=False
        ).prefetch_related("items")
    ]
