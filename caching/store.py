"""The one place that talks to Redis for pages and remembered values.

An entry (a page, a remembered value) is filed under each key of what it shows
(caching.keys). `invalidate(keys)` drops exactly the entries filed under them: a *hard*
change deletes them; a *soft* one keeps each as a stale copy that may stand in while one
request renders the page anew. Every step is one Lua script, so one round trip and atomic:

- `lookup`: the entry, else its stale copy and (if asked) the render lock, and the
  invalidation counter as it is now;
- `save`: file the entry under its keys unless one of them was invalidated since the
  counter the render began at (a render that read the database before a change must not
  store what it read after the change was announced);
- `invalidate`: count, mark the keys invalidated at that count, drop or stale their entries.

Redis layout under the cache's KEY_PREFIX: `page:<digest>` and `value:<name>` entries,
`stale:<entry>`, `lock:<entry>`, `tag:<key>` (a set of entries, kept at least as long as
they live), `inv:<key>` (the count a key was last invalidated at), `seq`, and the CDN's
`purge:pending` / `purge:lock` (caching.cdn). Without Redis (development on local memory)
`LocalStore` keeps the same rules in this process. A Redis that fails makes every call here
a miss or a no-op, logged: readers get rendered pages, never an error.
"""

import logging
import threading
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.signals import setting_changed

logger = logging.getLogger(__name__)
INVALIDATION_MEMORY = 3600  # seconds an `inv:` mark is kept: longer than any render
TAG_MARGIN = 60  # a key's set outlives its entries by this much


@dataclass
class Lookup:
    entry: bytes | None
    stale: bytes | None
    seq: int  # the invalidation counter when looked up: what a save must be checked against
    locked: bool  # this request holds the render lock


def _quietly(default=None):
    """A Redis that fails is logged and answers `default`: a miss, not an error page."""

    def wrap(method):
        @wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except Exception:  # noqa: BLE001 - redis errors, timeouts, refused connections
                logger.warning("Cache unavailable (%s)", method.__name__, exc_info=True)
                return default

        return call

    return wrap


_LOOKUP = """
local p, name = ARGV[1], ARGV[2]
local seq = tonumber(redis.call('GET', p .. 'seq') or '0')
local entry = redis.call('GET', p .. name)
if entry then return {entry, false, seq, 0} end
local got = 0
if tonumber(ARGV[3]) > 0 and redis.call('SET', p .. 'lock:' .. name, '1', 'NX', 'EX', ARGV[3])
then got = 1 end
return {false, redis.call('GET', p .. 'stale:' .. name), seq, got}
"""
_SAVE = """
local p, name, since = ARGV[1], ARGV[2], tonumber(ARGV[5])
redis.call('DEL', p .. 'lock:' .. name)
for i = 7, #ARGV do
  local mark = redis.call('GET', p .. 'inv:' .. ARGV[i])
  if mark and tonumber(mark) > since then return 0 end
end
local ttl = tonumber(ARGV[4])
redis.call('SET', p .. name, ARGV[3], 'EX', ttl)
local keep = ttl + tonumber(ARGV[6])
for i = 7, #ARGV do
  local tag = p .. 'tag:' .. ARGV[i]
  redis.call('SADD', tag, name)
  if redis.call('TTL', tag) < keep then redis.call('EXPIRE', tag, keep) end
end
return 1
"""
_INVALIDATE = """
local p, hard = ARGV[1], ARGV[2] == '1'
local seq = redis.call('INCR', p .. 'seq')
for i = 4, #ARGV do redis.call('SET', p .. 'inv:' .. ARGV[i], seq, 'EX', ARGV[3]) end
local dropped = 0
for i = 4, #ARGV do
  local tag = p .. 'tag:' .. ARGV[i]
  for _, name in ipairs(redis.call('SMEMBERS', tag)) do
    if hard then
      dropped = dropped + redis.call('DEL', p .. name, p .. 'stale:' .. name)
    elseif redis.call('EXISTS', p .. name) == 1 then
      redis.call('RENAME', p .. name, p .. 'stale:' .. name)
      dropped = dropped + 1
    end
  end
  -- After a soft change the stale copies stay filed: a later hard change must find them.
  if hard then redis.call('DEL', tag) end
end
return dropped
"""
_QUEUE_PURGE = """
redis.call('SADD', KEYS[1], unpack(ARGV, 2))
return redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) and 1 or 0
"""
_TAKE_PURGES = """
local keys = redis.call('SMEMBERS', KEYS[1])
redis.call('DEL', KEYS[1])
return keys
"""


class RedisStore:
    """Entries in the Redis of the default cache (django-redis), one script per step."""

    def __init__(self, client, prefix: str):
        self.client, self.prefix = client, prefix
        self._lookup = client.register_script(_LOOKUP)
        self._save = client.register_script(_SAVE)
        self._invalidate = client.register_script(_INVALIDATE)
        self._queue_purge = client.register_script(_QUEUE_PURGE)
        self._take_purges = client.register_script(_TAKE_PURGES)

    @_quietly()
    def lookup(self, name: str, *, lock_seconds: int = 0) -> Lookup | None:
        """The entry (else its stale copy, and the render lock if `lock_seconds`); None if the
        cache cannot answer."""
        entry, stale, seq, locked = self._lookup(args=[self.prefix, name, lock_seconds])
        return Lookup(entry, stale, int(seq), bool(locked))

    @_quietly()
    def peek(self, name: str) -> bytes | None:
        return self.client.get(self.prefix + name)

    @_quietly(default=False)
    def save(self, name: str, value: bytes, *, ttl: int, keys, since: int) -> bool:
        """File the entry under `keys` for `ttl` seconds, and release its render lock; False
        (nothing stored) if one of the keys was invalidated after `since`."""
        args = [self.prefix, name, value, int(ttl), since, TAG_MARGIN, *sorted(keys)]
        return bool(self._save(args=args))

    @_quietly()
    def unlock(self, name: str, *, drop_stale: bool = False) -> None:
        """Release the render lock (and forget the stale copy)."""
        names = [f"{self.prefix}lock:{name}"]
        if drop_stale:
            names.append(f"{self.prefix}stale:{name}")
        self.client.delete(*names)

    @_quietly(default=False)
    def invalidate(self, keys, *, hard: bool) -> bool:
        """Drop (hard) or make stale (soft) every entry filed under one of `keys`."""
        self._invalidate(args=[self.prefix, "1" if hard else "0", INVALIDATION_MEMORY,
                               *sorted(keys)])  # fmt: skip
        return True

    def queue_purge(self, keys, *, window: float) -> bool:
        """Add `keys` to the CDN purges waiting; True if the caller is to send them after
        `window` seconds (nobody else is about to). Raises if Redis cannot take them."""
        pending, lock = f"{self.prefix}purge:pending", f"{self.prefix}purge:lock"
        window_ms = max(1, int(window * 1000))
        return bool(self._queue_purge(keys=[pending, lock], args=[window_ms, *sorted(keys)]))

    @_quietly(default=set())
    def take_purges(self) -> set[str]:
        """The CDN purges waiting, taken (nobody else will send them)."""
        taken = self._take_purges(keys=[f"{self.prefix}purge:pending"])
        return {key.decode() if isinstance(key, bytes) else key for key in taken}


class LocalStore:
    """The same rules in this process's memory, for development without Redis."""

    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self._values: dict[str, tuple[float, object]] = {}
        self._tags: dict[str, set[str]] = {}
        self._marks: dict[str, int] = {}
        self._seq = 0
        self._pending: set[str] = set()
        self._purge_until = 0.0

    def _get(self, name):
        found = self._values.get(name)
        if found is None or found[0] <= time.time():
            self._values.pop(name, None)
            return None
        return found[1]

    def lookup(self, name: str, *, lock_seconds: int = 0) -> Lookup:
        with self._lock:
            entry = self._get(name)
            if entry is not None:
                return Lookup(entry, None, self._seq, False)
            locked = False
            if lock_seconds and self._get("lock:" + name) is None:
                self._values["lock:" + name] = (time.time() + lock_seconds, b"1")
                locked = True
            return Lookup(None, self._get("stale:" + name), self._seq, locked)

    def peek(self, name: str):
        with self._lock:
            return self._get(name)

    def save(self, name: str, value: bytes, *, ttl: int, keys, since: int) -> bool:
        with self._lock:
            self._values.pop("lock:" + name, None)
            if any(self._marks.get(key, 0) > since for key in keys):
                return False
            self._values[name] = (time.time() + ttl, value)
            for key in keys:
                self._tags.setdefault(key, set()).add(name)
            return True

    def unlock(self, name: str, *, drop_stale: bool = False) -> None:
        with self._lock:
            self._values.pop("lock:" + name, None)
            if drop_stale:
                self._values.pop("stale:" + name, None)

    def invalidate(self, keys, *, hard: bool) -> bool:
        with self._lock:
            self._seq += 1
            for key in keys:
                self._marks[key] = self._seq
            for key in keys:
                names = self._tags.pop(key, set()) if hard else self._tags.get(key, set())
                for name in names:
                    found = self._values.pop(name, None)
                    if hard:
                        self._values.pop("stale:" + name, None)
                    elif found is not None:
                        self._values["stale:" + name] = found
            return True

    def queue_purge(self, keys, *, window: float) -> bool:
        with self._lock:
            self._pending |= set(keys)
            if self._purge_until > time.monotonic():
                return False
            self._purge_until = time.monotonic() + window
            return True

    def take_purges(self) -> set[str]:
        with self._lock:
            taken, self._pending = self._pending, set()
            return taken


_local = LocalStore()
_store = None


def default_redis():
    """(client, KEY_PREFIX) of the default cache's Redis, or None without django-redis: the
    one Redis this store and the audience buffer (audience/buffer.py) both use."""
    config = settings.CACHES["default"]
    if not config["BACKEND"].startswith("django_redis"):
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default"), config.get("KEY_PREFIX", "")


def store() -> RedisStore | LocalStore:
    """The store the default cache gives: Redis with django-redis, else this process."""
    global _store
    if _store is None:
        redis = default_redis()
        _store = RedisStore(redis[0], f"{redis[1]}:pc:") if redis else _local
    return _store


def clear() -> None:
    """Forget what this process holds (tests; the Django cache's clear() empties Redis)."""
    _local.clear()


def _forget(*, setting, **kwargs) -> None:
    global _store
    if setting == "CACHES":
        _store = None


setting_changed.connect(_forget)
