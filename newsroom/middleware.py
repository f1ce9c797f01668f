"""Whole-page caching for anonymous readers, and HTTP caching headers for CDNs and browsers.

Only views declared public pages are cached (newsroom.pages), keyed by their address and the
query parameters they declare. Each address has one entry: the page as bytes with its
headers, the content generation it was rendered at and the count of removals then
(newsroom.cache). A hit is one cache round trip: the generation, the removals and the entry
in one read. The entry is fresh when its generation is current: any change to content makes
every entry stale at once. While one request renders a page anew after a soft change (an
edit, not a removal), concurrent readers get the stale entry instead of waiting: two
editors saving every second must not send every reader to the database. After a hard change
nobody does. Lifetimes are capped at the next scheduled publish or unpublish time. Staff
(anyone with a session) are never served from it. `PAGE_CACHE=off` turns it all off.

It sits before the middleware an anonymous cached page does not need (CSP, sessions, auth,
CSRF, messages, axes): the headers they set (Content-Security-Policy, Permissions-Policy,
X-Frame-Options, Surrogate-Key…) are stored with the page. A page whose CSP used a nonce is
not stored: a nonce must never be served twice.
"""

import hashlib
import json
import logging
import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from .cache import GENERATION_KEY, REMOVALS_KEY, generation, removals, seconds_until_next_change
from .pages import declared

logger = logging.getLogger(__name__)

BROWSER_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 30
LOCK_SECONDS = 10
WAIT_SECONDS = 3.0
# Set per response, not kept with the page.
_NOT_STORED = {"x-cache", "cache-control"}


class Entry:
    """A stored page: what it was rendered at, and the bytes and headers to answer with."""

    __slots__ = ("generation", "removals", "expires", "stale", "status", "headers", "content")

    def __init__(self, generation, removals, expires, stale, status, headers, content):
        self.generation, self.removals, self.expires, self.stale = (
            generation, removals, expires, stale
        )  # fmt: skip
        self.status, self.headers, self.content = status, headers, content

    def encode(self) -> bytes:
        """One line of JSON (numbers and headers), then the body as it is."""
        meta = [self.generation, self.removals, self.expires, self.stale, self.status,
                self.headers]  # fmt: skip
        return json.dumps(meta, separators=(",", ":")).encode() + b"\n" + self.content

    @classmethod
    def decode(cls, value) -> "Entry | None":
        if not isinstance(value, bytes):
            return None
        meta, _, content = value.partition(b"\n")
        try:
            return cls(*json.loads(meta), content)
        except (ValueError, TypeError):  # an entry written by another version: a miss
            return None

    def response(self, *, stale: bool) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        headers = response.headers
        for name, value in self.headers:
            headers[name] = value
        # A stand-in for a page being rendered anew is for this moment only: nobody keeps it.
        lifetime = 0 if stale else max(0, math.floor(self.expires - time.time()))
        _cache_control(response, lifetime, 0 if stale else self.stale)
        response["X-Cache"] = "stale" if stale else "hit"
        return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        page = self._public_page(request)
        if page is None:
            return self.get_response(request)
        key = self._key(request, page)
        try:
            current, removed, entry = _read(key)
        except Exception:  # noqa: BLE001 - a cache outage means rendering, not an error page
            logger.warning("Page cache unavailable: rendering %s", request.path, exc_info=True)
            return _missed(self.get_response(request))
        if entry is not None and entry.generation == current:
            return entry.response(stale=False)
        lock = f"page-lock:{current}:{key}"
        if not _add(lock):
            # Someone else is rendering it: don't render it twice. Meanwhile the page as it
            # was before a soft change will do; after a hard one, wait for the new page.
            if entry is not None and entry.removals == removed and entry.expires > time.time():
                return entry.response(stale=True)
            entry = self._wait_for(key, lock, current)
            if entry is not None:
                return entry.response(stale=False)
        response = self.get_response(request)
        try:
            stored = self._store(request, key, response, current=current, removed=removed)
            if not stored and entry is not None:
                _delete(key)  # the address no longer gives that page: no stand-in for it
        finally:
            _delete(lock)
        return _missed(response)

    def _public_page(self, request):
        """The page's declaration, if this request may be served from the cache."""
        if (
            not settings.PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        return declared(request.path_info)

    def _key(self, request, page) -> str:
        """The address and the parameters the view reads (sorted): `?x=random` or
        `?utm_source=` give the same page, so the same key."""
        params = sorted(
            (name, value)
            for name, values in request.GET.lists()
            if name in page.params
            for value in values
        )
        raw = f"{request.get_host()}{request.path}?{urlencode(params)}"
        return "page:" + hashlib.sha256(raw.encode()).hexdigest()

    def _wait_for(self, key: str, lock: str, current: int):
        """The page another request is rendering, once stored; None if it will not be (it
        was not cacheable, or took too long): then render it here."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.02)
            entry = _get_entry(key)
            if entry is not None and entry.generation == current:
                return entry
            if _get(lock) is None:  # done: stored just now, or not storable at all
                entry = _get_entry(key)
                return entry if entry is not None and entry.generation == current else None
        return None

    def _store(self, request, key: str, response, *, current: int, removed: int) -> bool:
        """Keep the page for anonymous readers if it may be kept, with the headers caches
        need to keep it no longer than it is right; whether it was."""
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or "Cache-Control" in response  # the view decided (never_cache, previews…)
            or isinstance(getattr(request, "_csp_nonce", None), str)  # a nonce is single-use
        ):
            return False
        remaining = seconds_until_next_change()
        lifetime = settings.PAGE_CACHE_SECONDS
        if remaining is not None:
            lifetime = min(lifetime, math.floor(remaining))
        if lifetime <= 0:
            return False
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        # Whatever may keep it after us (a CDN, a browser), never past the next change.
        stale = STALE_WHILE_REVALIDATE
        if remaining is not None:
            stale = max(0, min(stale, math.floor(remaining) - lifetime))
        headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED]
        entry = Entry(current, removed, time.time() + lifetime, stale, response.status_code,
                      headers, response.content)  # fmt: skip
        _set(key, entry.encode(), lifetime)
        _cache_control(response, lifetime, stale)
        return True


def _read(key: str) -> tuple[int, int, Entry | None]:
    """The content generation, the count of removals and this page's entry: one round trip
    to the cache. Raises if the cache is unreachable."""
    values = cache.get_many([GENERATION_KEY, REMOVALS_KEY, key])
    current, removed = values.get(GENERATION_KEY), values.get(REMOVALS_KEY)
    if current is None or removed is None:  # a fresh or emptied cache: start the counters
        current, removed = generation(), removals()
        if removed is None:
            raise ConnectionError("The cache cannot count removals.")
    return int(current), int(removed), Entry.decode(values.get(key))


def _missed(response):
    response["X-Cache"] = "miss"
    return response


def _cache_control(response, lifetime: int, stale: int) -> None:
    """Browsers may keep a page a minute, shared caches (CDNs) as long as our own cache,
    and none past the next scheduled publish or unpublish time."""
    patch_cache_control(
        response,
        public=True,
        max_age=min(BROWSER_MAX_AGE, lifetime),
        s_maxage=lifetime,
        stale_while_revalidate=stale,
    )


def _get(key):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("Page cache unavailable (get)", exc_info=True)
        return None


def _get_entry(key: str) -> Entry | None:
    return Entry.decode(_get(key))


def _set(key, value, timeout) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001
        logger.warning("Page cache unavailable (set)", exc_info=True)


def _add(key) -> bool:
    try:
        return cache.add(key, 1, timeout=LOCK_SECONDS)
    except Exception:  # noqa: BLE001
        return True  # no cache: just render


def _delete(key) -> None:
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001
        pass
