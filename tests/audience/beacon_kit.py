"""What the beacon tests share: a reader's browser, reports as beacon.js sends them, and the
buffer on either backend (the database table, or a real Redis at TEST_REDIS_URL) read back
as events and as the raw bytes stored."""

import json
import re

import pytest
from django.core.cache import cache

from audience import buffer as audience_buffer
from audience import collecting
from audience.collecting import BEACON_PATH
from audience.events import Event
from audience.models import PendingEvent
from caching import store
from tests.caching_kit import use_real_redis

# A reader's browser: what Chrome on a desktop sends with a beacon.
DESKTOP_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
READER_IP = "203.0.113.77"
BROWSER = {
    "HTTP_USER_AGENT": DESKTOP_CHROME,
    "HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9",
    "REMOTE_ADDR": READER_IP,
}


def report(**fields) -> dict:
    """A view of story 7 as beacon.js sends it, with `fields` changed."""
    return {"k": "view", "p": "/world/story-7/", "r": "", "t": "story", "i": 7, **fields}


def send(client, body, **headers):
    """POST one report (a dict, or raw bytes/str) to the beacon as a browser would."""
    if isinstance(body, dict | list):
        body = json.dumps(body)
    return client.post(BEACON_PATH, body, content_type="text/plain", **{**BROWSER, **headers})


def buffered() -> list[Event]:
    return [Event.decode(raw) for _, raw in audience_buffer.buffer().read("0", 10_000)]


def stored_bytes() -> bytes:
    """Everything the buffer holds, as stored: the table's rows, or every field of every
    entry of the Redis stream."""
    chosen = audience_buffer.buffer()
    if isinstance(chosen, audience_buffer.RedisBuffer):
        entries = chosen.client.xrange(chosen.key, "-", "+")
        return b"\n".join(k + v for _, fields in entries for k, v in fields.items())
    return b"\n".join(bytes(data) for data in PendingEvent.objects.values_list("data", flat=True))


def script_data(html: str) -> dict:
    """The beacon's script tag's data-* attributes, as beacon.js reads them."""
    tag = re.search(r'<script src="[^"]*audience/beacon\.js"([^>]*)>', html)
    assert tag, "no beacon on the page"
    return dict(re.findall(r'data-([a-z]+)(?:="([^"]*)")?', tag.group(1)))


@pytest.fixture(params=["database", "redis"])
def buffer_backend(request, settings, db):
    """The buffer on one backend, empty: the database table (no Redis), or a real Redis
    stream (in CI it must be there)."""
    if request.param == "redis":
        use_real_redis(settings)
    cache.clear()
    store.clear()
    collecting.forget_salt()  # the salt this process remembers was in the emptied cache
    chosen = audience_buffer.buffer()
    if isinstance(chosen, audience_buffer.RedisBuffer):
        chosen.client.delete(chosen.key)
    yield request.param
    if isinstance(chosen, audience_buffer.RedisBuffer):
        chosen.client.delete(chosen.key)
    cache.clear()
