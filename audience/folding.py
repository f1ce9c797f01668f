"""The worker's step: events from the buffer into the rollups (docs/audience-folding.md).

A batch is read after the cursor, summed in Python dicts (a story read a thousand times in a
batch is one row's update), and written in ONE transaction with the cursor's new position:
a worker killed before the commit changed nothing, and after it the cursor skips what was
folded. So every event that reached the buffer is counted exactly once. The cursor row is
locked (select_for_update) so two workers never fold the same batch.

Days are the newsroom's days (settings.TIME_ZONE), as the desk shows them.
"""

import logging
import secrets
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import events as ev
from . import rollups
from .buffer import RedisBuffer, buffer
from .events import Event
from .models import (
    DayBreakdown,
    DayFigures,
    DaySearch,
    DayVisitor,
    FoldCursor,
    HourFigures,
    Kind,
    LiveReader,
    NewsletterClicks,
    SignupsFromStory,
)

logger = logging.getLogger(__name__)

CURSOR = "events"
LIVE_WINDOW = timedelta(minutes=5)
# The counts of a Figures row, in this order in the tally's lists.
COUNTS = ("views", "visitors", "engaged_seconds", "engagements", "reads_to_end")
VIEWS, VISITORS, SECONDS, ENGAGEMENTS, ENDS = range(5)
OWN_TARGETS = frozenset({Kind.STORY.value, Kind.PAGE.value})
SITE = (Kind.SITE.value, 0)


def _figures():
    return [0, 0, 0, 0, 0]


class Tally:
    """One batch's sums, before they are written. No database here (it may run in the
    read-ahead thread): `add_groups` adds the stories' sections, series and authors after."""

    def __init__(self):
        self.now = time.time()
        self.zone = timezone.get_default_timezone()
        self.slots = {}  # quarter-hour since the epoch -> (day, hour): every zone's offset fits
        self.days = defaultdict(_figures)  # (day, kind, id)
        self.hours = defaultdict(_figures)  # (hour, kind, id)
        self.breakdown = Counter()  # (day, kind, id, dimension, value)
        self.searches = Counter()  # (day, term)
        self.clicks = Counter()  # (day, issue, story)
        self.signups = Counter()  # (day, story, newsletter)
        self.visits = {}  # (day, kind, id, visitor) -> the hour of its first visit in the batch
        self.live = {}  # key -> (kind, id, path, seen_at)

    def add_groups(self, stories: dict[int, list[tuple[str, int]]]) -> None:
        """Add each story's day to its section, series and authors: the same sums as adding
        every event to them, a row at a time instead of an event at a time. Visitors stay 0
        on those rows (docs/audience-folding.md), so this runs before visitors are counted."""
        story = Kind.STORY.value
        days = self.days
        for (day, kind, pk), counts in list(days.items()):
            if kind != story:
                continue
            for group in stories.get(pk, ()):
                row = days[(day, *group)]
                row[VIEWS] += counts[VIEWS]
                row[SECONDS] += counts[SECONDS]
                row[ENGAGEMENTS] += counts[ENGAGEMENTS]
                row[ENDS] += counts[ENDS]

    def when(self, at: float):
        slot = int(at // 900)
        if slot not in self.slots:
            local = datetime.fromtimestamp(slot * 900, self.zone)
            self.slots[slot] = (local.date(), local.replace(minute=0, second=0, microsecond=0))
        return self.slots[slot]

    def add(self, event: Event, key: str) -> None:
        """Count one event; `key` names it when its reader has no hash (the live panel)."""
        day, hour = self.when(event.at)
        if event.kind in (ev.CLICK, ev.SIGNUP):
            if event.kind == ev.CLICK and event.issue_id and event.target_id:
                self.clicks[day, event.issue_id, event.target_id] += 1
            elif event.kind == ev.SIGNUP and event.newsletter_id and event.target_id:
                self.signups[day, event.target_id, event.newsletter_id] += 1
            return
        own = [SITE]
        if event.target in OWN_TARGETS and event.target_id:
            own.append((event.target, event.target_id))
        if event.kind == ev.VIEW:
            self._view(event, day, hour, own, key)
        elif event.kind == ev.ENGAGED:
            seconds = min(max(event.seconds, 0), ev.MAX_SECONDS)
            for target in own:
                for row in (self.days[(day, *target)], self.hours[(hour, *target)]):
                    row[SECONDS] += seconds
                    row[ENGAGEMENTS] += 1
                    row[ENDS] += event.ended

    def _view(self, event, day, hour, own, key) -> None:
        breakdown = self.breakdown
        for target in own:
            self.days[(day, *target)][VIEWS] += 1
            self.hours[(hour, *target)][VIEWS] += 1
            if event.visitor:
                self.visits.setdefault((day, *target, event.visitor), hour)
            breakdown[(day, *target, "referrer", event.referrer or "direct")] += 1
            if event.domain:
                breakdown[(day, *target, "domain", event.domain[: ev.MAX_VALUE])] += 1
            if event.device:
                breakdown[(day, *target, "device", event.device)] += 1
        # Countries for the site only: no page shows a story's countries, and per story they
        # were a fifth of the fold's row writes.
        if event.country:
            breakdown[(day, *SITE, "country", event.country)] += 1
        if event.term:
            term = " ".join(event.term.split()).lower()[: ev.MAX_VALUE]
            if term:
                self.searches[day, term] += 1
        if self.now - event.at <= LIVE_WINDOW.total_seconds():
            reader = f"v:{event.visitor}" if event.visitor else f"e:{key}"
            seen = self.live.get(reader)
            if seen is None or seen[3] <= event.at:
                target = own[-1]
                self.live[reader] = (*target, event.path[: ev.MAX_PATH], event.at)


def story_groups(story_ids: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
    """Each story's section, series and byline authors, in one query: the rows a story's
    figures are also added to."""
    from articles.models import Article

    groups: dict[int, set] = {}
    rows = Article.objects.filter(pk__in=set(story_ids)).values_list(
        "pk", "section_id", "series_id", "bylines__author_id"
    )
    for pk, section_id, series_id, author_id in rows:
        group = groups.setdefault(pk, {(Kind.SECTION.value, section_id)})
        if series_id:
            group.add((Kind.SERIES.value, series_id))
        if author_id:
            group.add((Kind.AUTHOR.value, author_id))
    return {pk: sorted(group) for pk, group in groups.items()}


def tally(entries: Iterable[tuple[str, Event]]) -> Tally:
    """The sums of (key, event) pairs, without the stories' groups (no database: see
    `with_groups`)."""
    sums = Tally()
    for key, event in entries:
        sums.add(event, key)
    return sums


def with_groups(sums: Tally) -> Tally:
    """The sums with each story's section, series and authors added, looked up in one query
    (on the caller's connection, inside its transaction)."""
    story = Kind.STORY.value
    sums.add_groups(story_groups({pk for _, kind, pk in sums.days if kind == story}))
    return sums


def write(sums: Tally) -> None:
    """Add a batch's sums to the rollups (inside the caller's transaction). Visitors first:
    the hashes new today (on the site, a story, a page) are each one visitor on that day's
    row, and on the row of the hour of that first visit (so an hour's visitors are the day's
    new visitors in that hour, and the hours add up to the day)."""
    ops = connection.ops
    day_of, hour_of = {}, {}

    def day(d):
        if d not in day_of:
            day_of[d] = ops.adapt_datefield_value(d)
        return day_of[d]

    def hour(h):
        if h not in hour_of:
            hour_of[h] = ops.adapt_datetimefield_value(h)
        return hour_of[h]

    by_text = {str(day(d)): d for d, *_ in sums.visits}
    new = rollups.insert_new(
        DayVisitor,
        ("day", "kind", "object_id", "visitor"),
        # In the unique index's order: each index page is visited once, not at random.
        sorted((day(d), kind, pk, visitor) for d, kind, pk, visitor in sums.visits),
    )
    for d, kind, pk, visitor in new:
        d = by_text[str(d)]
        sums.days[(d, kind, int(pk))][VISITORS] += 1
        sums.hours[(sums.visits[(d, kind, int(pk), visitor)], kind, int(pk))][VISITORS] += 1

    rollups.add_to(
        DayFigures,
        ("day", "kind", "object_id"),
        COUNTS,
        sorted((day(d), kind, pk, *counts) for (d, kind, pk), counts in sums.days.items()),
    )
    rollups.add_to(
        HourFigures,
        ("hour", "kind", "object_id"),
        COUNTS,
        sorted((hour(h), kind, pk, *counts) for (h, kind, pk), counts in sums.hours.items()),
    )
    rollups.add_to(
        DayBreakdown,
        ("day", "kind", "object_id", "dimension", "value"),
        ("views",),
        sorted((day(d), *rest, views) for (d, *rest), views in sums.breakdown.items()),
    )
    rollups.add_to(
        DaySearch,
        ("day", "term"),
        ("searches",),
        [(day(d), term, n) for (d, term), n in sums.searches.items()],
    )
    rollups.add_to(
        NewsletterClicks,
        ("day", "issue_id", "story_id"),
        ("clicks",),
        [(day(d), *rest, n) for (d, *rest), n in sums.clicks.items()],
    )
    rollups.add_to(
        SignupsFromStory,
        ("day", "story_id", "newsletter_id"),
        ("signups",),
        [(day(d), *rest, n) for (d, *rest), n in sums.signups.items()],
    )
    rollups.replace_older(
        LiveReader,
        "key",
        ("key", "kind", "object_id", "path", "seen_at"),
        [
            (key, kind, pk, path, ops.adapt_datetimefield_value(_aware(at)))
            for key, (kind, pk, path, at) in sums.live.items()
        ],
        newer="seen_at",
    )


def _aware(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def decode(entries: list[tuple[str, bytes]]) -> list[tuple[str, Event]]:
    """The events of buffer entries; one that is not an event is skipped (and logged)."""
    decoded = []
    for entry_id, raw in entries:
        try:
            decoded.append((entry_id, Event.decode(raw)))
        except ValueError:
            logger.warning("Audience: skipped buffer entry %s, not an event", entry_id)
    return decoded


def fold_pending(batch_size: int | None = None, limit: int | None = None, *, store=None) -> int:
    """Fold what waits in the buffer after the cursor, a batch a transaction, then forget
    it; how many events were folded. `limit`: at most that many buffer entries; `store`:
    another buffer than the settings' (the benchmark's own stream).

    From a Redis stream, the next batch is read, decoded and summed in a thread while
    PostgreSQL writes this one (the machine's second core). It is folded only if the cursor,
    once locked, is still where that batch was read after: another worker may have moved it.
    The table buffer is read on the fold's own connection, in its transaction: no thread."""
    batch_size = batch_size or settings.AUDIENCE_FOLD_BATCH
    store = store or buffer()
    FoldCursor.objects.get_or_create(name=CURSOR)
    with ThreadPoolExecutor(1, thread_name_prefix="fold-ahead") as pool:
        ahead = pool if isinstance(store, RedisBuffer) else None
        return _fold_pending(store, batch_size, limit, ahead)


def _prepare(store, after: str, size: int) -> tuple[str, int, list, list, Tally]:
    """A batch read after `after`, decoded and summed: no database (it may run in a thread)."""
    entries = store.read(after, size)
    decoded = decode(entries)
    return after, size, entries, decoded, tally(decoded)


def _fold_pending(store, batch_size: int, limit: int | None, pool) -> int:
    read = folded = 0
    next_batch = None  # a Future of _prepare, read ahead
    while limit is None or read < limit:
        size = batch_size if limit is None else min(batch_size, limit - read)
        with transaction.atomic():
            cursor = FoldCursor.objects.select_for_update().get(name=CURSOR)
            prepared = next_batch.result() if next_batch else None
            next_batch = None
            if prepared is None or prepared[:2] != (cursor.position, size):
                prepared = _prepare(store, cursor.position, size)
            _, _, entries, decoded, sums = prepared
            if not entries:
                break
            last = entries[-1][0]
            following = size if limit is None else min(size, limit - read - len(entries))
            if pool and len(entries) == size and following > 0:
                next_batch = pool.submit(_prepare, store, last, following)
            write(with_groups(sums))
            if settings.AUDIENCE_FOLD_PAUSE:  # tests: a worker killed with the batch half written
                time.sleep(settings.AUDIENCE_FOLD_PAUSE)
            cursor.position = last
            cursor.folded += len(decoded)
            cursor.save(update_fields=["position", "folded", "updated_at"])
        store.trim(last)
        read += len(entries)
        folded += len(decoded)
        if len(entries) < size:
            break
    tidy(store)
    return folded


def fold_events(events: Iterable[Event], batch_size: int | None = None) -> None:
    """Fold events given directly: no buffer, no cursor (the demo's history, tests). The same
    sums and SQL as `fold_pending`, a batch a transaction."""
    batch_size = batch_size or settings.AUDIENCE_FOLD_BATCH
    batch = []
    for event in events:
        batch.append((secrets.token_hex(8), event))
        if len(batch) >= batch_size:
            _fold_batch(batch)
            batch = []
    if batch:
        _fold_batch(batch)


def _fold_batch(batch):
    with transaction.atomic():
        write(with_groups(tally(batch)))


def tidy(store=None) -> None:
    """What the fold forgets each run: visitor hashes of days before yesterday (their salt is
    gone, they mean nothing), readers not seen in the live window, and buffered events older
    than settings.AUDIENCE_RAW_DAYS."""
    forget_old_visitors()
    LiveReader.objects.filter(seen_at__lt=timezone.now() - LIVE_WINDOW).delete()
    (store or buffer()).forget_older_than(settings.AUDIENCE_RAW_DAYS)


def forget_old_visitors() -> None:
    """Delete the visitor hashes of days before yesterday: the figures keep their counts."""
    DayVisitor.objects.filter(day__lt=timezone.localdate() - timedelta(days=1)).delete()
