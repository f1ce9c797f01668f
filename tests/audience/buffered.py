"""The buffer as the newsletter tests read it: the database table (no Redis) or the real
Redis stream (TEST_REDIS_URL), emptied before and after, by its own key only."""

import pytest

from audience import buffer
from audience.events import Event
from tests.caching_kit import use_real_redis


@pytest.fixture(name="buffered", params=["database", "redis"])
def _buffered(request, settings):
    """A function giving the events in the buffer now, on one buffer backend."""
    if request.param == "redis":
        use_real_redis(settings)
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    chosen = buffer.buffer()
    _empty(chosen)

    def events() -> list[Event]:
        return [Event.decode(raw) for _, raw in chosen.read("0", 10_000)]

    yield events
    _empty(chosen)


def _empty(chosen) -> None:
    if isinstance(chosen, buffer.RedisBuffer):
        chosen.client.delete(chosen.key)
    else:
        chosen.trim(str(2**62))
