"""Where events wait between the beacon and the fold: a Redis stream on the default cache's
Redis (production), or the `PendingEvent` table without Redis (`make run` on SQLite).

Every entry has an id that only grows (a stream id "1733600000000-0", or the row's number as
a string), so the fold can remember how far it has read (audience.models.FoldCursor) and read
on from there: `read(after)` gives what came since, `trim(upto)` forgets what was folded.

`append` never raises: a Redis that is down loses the event, logged, and the reader's
request still gets its 204 (audience/collecting.py).
"""

import logging
from datetime import timedelta

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

from caching.store import default_redis

from .events import Event
from .models import PendingEvent

logger = logging.getLogger(__name__)
STREAM = "audience:events"


class RedisBuffer:
    def __init__(self, client, key: str):
        self.client, self.key = client, key

    def append(self, event: Event) -> None:
        self.client.xadd(self.key, {"e": event.encode()})

    def read(self, after: str, count: int) -> list[tuple[str, bytes]]:
        start = "-" if after in ("", "0") else f"({after}"
        return [
            (entry_id.decode(), fields[b"e"])
            for entry_id, fields in self.client.xrange(self.key, start, "+", count=count)
        ]

    def trim(self, upto: str) -> None:
        ms, _, seq = upto.partition("-")
        self.client.xtrim(self.key, minid=f"{ms}-{int(seq or 0) + 1}", approximate=False)

    def forget_older_than(self, days: float) -> None:
        ms = int((timezone.now() - timedelta(days=days)).timestamp() * 1000)
        self.client.xtrim(self.key, minid=str(ms), approximate=False)

    def __len__(self) -> int:
        return self.client.xlen(self.key)


class DatabaseBuffer:
    def append(self, event: Event) -> None:
        PendingEvent.objects.create(data=event.encode())

    def read(self, after: str, count: int) -> list[tuple[str, bytes]]:
        rows = PendingEvent.objects.filter(pk__gt=int(after or 0)).order_by("pk")[:count]
        return [(str(pk), bytes(data)) for pk, data in rows.values_list("pk", "data")]

    def trim(self, upto: str) -> None:
        PendingEvent.objects.filter(pk__lte=int(upto)).delete()

    def forget_older_than(self, days: float) -> None:
        PendingEvent.objects.filter(at__lt=timezone.now() - timedelta(days=days)).delete()

    def __len__(self) -> int:
        return PendingEvent.objects.count()


_buffer = None


def buffer() -> RedisBuffer | DatabaseBuffer:
    """The buffer the settings give: Redis when the default cache is django-redis."""
    global _buffer
    if _buffer is None:
        redis = default_redis()
        _buffer = RedisBuffer(redis[0], f"{redis[1]}:{STREAM}") if redis else DatabaseBuffer()
    return _buffer


@receiver(setting_changed)
def reset(*, setting="CACHES", **kwargs) -> None:
    """Choose the buffer again when the cache settings change (tests that switch them)."""
    global _buffer
    if setting == "CACHES":
        _buffer = None


def append(event: Event) -> bool:
    """Buffer one event; False (logged) if the buffer could not take it."""
    try:
        buffer().append(event)
    except Exception:  # noqa: BLE001 - redis errors, timeouts, refused connections
        logger.warning("Audience event lost: the buffer is unavailable", exc_info=True)
        return False
    return True
