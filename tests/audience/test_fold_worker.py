"""The fold as it runs in production: `manage.py db_worker` in a process of its own, on the
test database and a real Redis stream, killed (SIGKILL) again and again while it folds, then
left to finish: every buffered event is counted exactly once, none twice, none lost
(audience/folding.py: the cursor moves in the rollups' transaction).

The waits follow the cursor, not the clock: a wait fails only when the cursor has not moved
for a long while, so a busy machine makes the test slower, not red.

PostgreSQL only: the worker process needs a database it can share with the test, and the
SQLite test database lives in the test process's memory.
"""

import time

import pytest
from django.db import connection
from django.db.models import Sum

from audience.events import CLICK, ENGAGED, VIEW, Event
from audience.folding import CURSOR
from audience.models import DayFigures, FoldCursor, NewsletterClicks
from tests.audience.fold_kit import at, stream_key, use_redis
from tests.caching_kit import REDIS_URL
from tests.newsletters.sending_kit import Worker

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process shares the test database: PostgreSQL only (SQLite's is in "
        "the test process's memory)",
    ),
    pytest.mark.django_db(transaction=True),
]

PREFIX = "newsroom-fold-worker-tests"
EVENTS = 20_000
BATCH = 400
# How long the cursor may stand still before a wait gives up: a worker starting on a loaded
# machine (Django, the apps) fits in it many times over.
STALL = 120


def buffered_events():
    """20,000 events: views of 50 stories by 3,000 visitors (some with no hash), engaged-time
    reports and newsletter clicks, over today's morning."""
    for n in range(EVENTS):
        when = at(hours=-(n % 10))
        if n % 10 == 9:
            yield Event(at=when, kind=CLICK, target="story", target_id=1 + n % 50, issue_id=1)
        elif n % 4 == 3:
            yield Event(at=when, kind=ENGAGED, target="story", target_id=1 + n % 50,
                        seconds=n % 120, ended=n % 8 == 7)  # fmt: skip
        else:
            visitor = "" if n % 13 == 0 else f"v{n % 3000}"
            yield Event(at=when, kind=VIEW, target="story", target_id=1 + n % 50, visitor=visitor)


def position() -> tuple[str, int]:
    return FoldCursor.objects.filter(name=CURSOR).values_list("position", "folded").first() or (
        "0",
        0,
    )


def in_transaction() -> bool:
    """Whether another connection to the test database holds a transaction open (the
    worker's fold, waiting inside it: AUDIENCE_FOLD_PAUSE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'idle in transaction'"
        )
        return cursor.fetchone()[0] > 0


def wait_for_cursor(condition, worker: Worker, what: str) -> None:
    """Poll until `condition()` holds; fail if the cursor stands still for STALL seconds."""
    last, since = position(), time.monotonic()
    while not condition():
        now = position()
        if now != last:
            last, since = now, time.monotonic()
        if time.monotonic() - since > STALL:
            raise AssertionError(f"The fold stopped moving waiting for {what}\n{worker.output()}")
        time.sleep(0.02)


@pytest.fixture
def workers():
    started = []
    yield started
    for worker in started:
        worker.kill()


def test_a_worker_killed_mid_fold_again_and_again_counts_every_event_once(settings, workers):
    client = use_redis(settings, PREFIX)
    events = list(buffered_events())
    with client.pipeline(transaction=False) as pipe:
        for event in events:
            pipe.xadd(stream_key(PREFIX), {"e": event.encode()})
        last_id = pipe.execute()[-1].decode()

    env = {
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": PREFIX,
        "AUDIENCE_FOLD_BATCH": BATCH,
        "AUDIENCE_FOLD_INTERVAL": 0.2,
        "AUDIENCE_FOLD_PAUSE": 0.15,
    }  # fmt: skip
    killed_in_transaction = 0
    # Kill at varying points of the stream (early, in the middle, late) and of a batch: with
    # a fold's transaction open, or a little after the cursor moved (reading, summing,
    # writing, or trimming the stream after the commit).
    for fraction, after in [(0.1, None), (0.3, 0.05), (0.45, None), (0.6, 0.17), (0.8, 0.11)]:
        worker = Worker(1, **env).start()
        workers.append(worker)
        goal = int(EVENTS * fraction)
        wait_for_cursor(lambda goal=goal: position()[1] >= goal, worker, f"{goal} events folded")
        if after is None:
            wait_for_cursor(in_transaction, worker, "a fold in its transaction")
            killed_in_transaction += in_transaction()
        else:
            time.sleep(after)  # where the kill lands, not what is asserted
        worker.kill()

    worker = Worker(1, **env).start()
    workers.append(worker)
    wait_for_cursor(lambda: position()[0] == last_id, worker, "the whole stream folded")
    worker.kill()

    assert killed_in_transaction >= 1, "no kill landed inside a fold's transaction"
    views = [e for e in events if e.kind == VIEW]
    engaged = [e for e in events if e.kind == ENGAGED]
    site = DayFigures.objects.filter(kind="site").aggregate(
        views=Sum("views"), visitors=Sum("visitors"), seconds=Sum("engaged_seconds"),
        engagements=Sum("engagements"), ends=Sum("reads_to_end"),
    )  # fmt: skip
    assert site == {
        "views": len(views),
        "visitors": len({e.visitor for e in views if e.visitor}),
        "seconds": sum(e.seconds for e in engaged),
        "engagements": len(engaged),
        "ends": sum(e.ended for e in engaged),
    }
    stories = DayFigures.objects.filter(kind="story").aggregate(Sum("views"))
    assert stories["views__sum"] == len(views)
    clicks = NewsletterClicks.objects.aggregate(Sum("clicks"))["clicks__sum"]
    assert clicks == sum(e.kind == CLICK for e in events)
    assert position() == (last_id, EVENTS)
    client.delete(stream_key(PREFIX))
