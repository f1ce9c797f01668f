"""Whole-page caching for anonymous readers, and the headers CDNs and browsers cache by.

Only views declared public pages are cached (caching.pages), keyed by their address and the
query parameters they declare. While a page renders, the keys of what it shows are collected
(caching.keys) and sent in `Surrogate-Key`/`Cache-Tag`; the page is stored under the same
keys (caching.store), so a change drops exactly the pages that show it. A hit is one round
trip to the cache.

After a soft change (an edit, a new story) a dropped page stays as a stale copy: while one
request renders it anew, concurrent readers get that copy instead of waiting. After a hard
change (a takedown) nobody does. A page lives no longer than what it shows stays right by
itself: the takedown time of a story on it, the next scheduled story of a listing on it.
Staff (anyone with a session) are never served from it. `PAGE_CACHE=off` turns it off.

It sits before the middleware a cached page does not need (CSP, sessions, auth, CSRF,
messages, axes): the headers they set are stored with the page. A page whose CSP used a
nonce is not stored: a nonce must never be served twice.
"""

import hashlib
import json
import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from . import keys as cache_keys
from .pages import declared
from .store import store

BROWSER_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 30
LOCK_SECONDS = 10
WAIT_SECONDS = 3.0
# Set per response, not kept with the page.
_NOT_STORED = {"x-cache", "cache-control"}


class Entry:
    """A stored page: until when it is right, and the bytes and headers to answer with."""

    __slots__ = ("expires", "stale", "status", "headers", "content")

    def __init__(self, expires, stale, status, headers, content):
        self.expires, self.stale, self.status = expires, stale, status
        self.headers, self.content = headers, content

    def encode(self) -> bytes:
        """One line of JSON (numbers and headers), then the body as it is."""
        meta = [self.expires, self.stale, self.status, self.headers]
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
        for name, value in self.headers:
            response.headers[name] = value
        # A stand-in for a page being rendered anew is for this moment only: nobody keeps it.
        lifetime = 0 if stale else max(0, math.floor(self.expires - time.time()))
        _cache_control(response, lifetime, 0 if stale else self.stale)
        response["X-Cache"] = "stale" if stale else "hit"
        return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        page = _public_page(request)
        if page is None:
            return self.get_response(request)
        if not _cacheable(request):  # staff, or no page cache: the page names its keys only
            return self._render(request)[0]
        name = _name(request, page)
        found = store().lookup(name, lock_seconds=LOCK_SECONDS)
        if found is None:  # the cache cannot answer: render, store nothing
            return _missed(self._render(request)[0])
        if found.entry is not None and (entry := Entry.decode(found.entry)):
            return entry.response(stale=False)
        if not found.locked:
            # Someone else is rendering it: don't render it twice. Meanwhile the copy from
            # before a soft change will do; without one, wait for the new page.
            stale = Entry.decode(found.stale)
            if stale is not None:
                return stale.response(stale=True)
            entry = _wait_for(name)
            if entry is not None:
                return entry.response(stale=False)
        response, shown = self._render(request)
        if not _store(request, name, response, shown, since=found.seq):
            # The address no longer gives a page that may be kept: no stand-in for it either.
            store().unlock(name, drop_stale=found.stale is not None)
        return _missed(response)

    def _render(self, request):
        """The response, with the keys of what it shows named in its headers."""
        with cache_keys.collecting() as shown:
            response = self.get_response(request)
        response[cache_keys.SURROGATE_KEY] = cache_keys.header_value(shown.keys)
        response[cache_keys.CACHE_TAG] = cache_keys.header_value(shown.keys, separator=",")
        return response, shown


def _public_page(request):
    """The page's declaration, if this request is for a public page."""
    if request.method not in ("GET", "HEAD"):
        return None
    return declared(request.path_info)


def _cacheable(request) -> bool:
    return settings.PAGE_CACHE and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _name(request, page) -> str:
    """The address and the parameters the view reads (sorted): `?x=random` or `?utm_source=`
    give the same page, so the same entry."""
    params = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name in page.params
        for value in values
    )
    raw = f"{request.get_host()}{request.path}?{urlencode(params)}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _wait_for(name: str) -> Entry | None:
    """The page another request is rendering, once stored; None if it does not come in time
    (it was not cacheable, or is slow): then render it here."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        found = store().lookup(name)
        if found is None:
            return None
        if found.entry is not None:
            return Entry.decode(found.entry)
        if not store().peek("lock:" + name):
            # Done: stored between the two reads, or nothing to store. Look once more.
            found = store().lookup(name)
            return Entry.decode(found.entry) if found is not None else None
    return None


def _store(request, name: str, response, shown, *, since: int) -> bool:
    """Keep the page for anonymous readers if it may be kept, for as long as it is right,
    with the headers caches need to keep it no longer; whether it was offered."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or "Cache-Control" in response  # the view decided (never_cache, previews…)
        or isinstance(getattr(request, "_csp_nonce", None), str)  # a nonce is single-use
    ):
        return False
    lifetime = settings.PAGE_CACHE_SECONDS
    remaining = None if shown.until is None else math.floor(shown.until - time.time())
    if remaining is not None:
        lifetime = min(lifetime, remaining)
    if lifetime <= 0:
        return False
    response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
    # Whatever may keep it after us (a CDN, a browser), never past the next change.
    stale = STALE_WHILE_REVALIDATE
    if remaining is not None:
        stale = max(0, min(stale, remaining - lifetime))
    headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED]
    entry = Entry(time.time() + lifetime, stale, response.status_code, headers, response.content)
    filed = cache_keys.named_in(response[cache_keys.SURROGATE_KEY])
    store().save(name, entry.encode(), ttl=lifetime, keys=filed, since=since)
    _cache_control(response, lifetime, stale)
    return True


def _missed(response):
    response["X-Cache"] = "miss"
    return response


def _cache_control(response, lifetime: int, stale: int) -> None:
    """Browsers may keep a page a minute, shared caches (CDNs) as long as our own cache,
    and none past what the page shows stays right."""
    patch_cache_control(
        response,
        public=True,
        max_age=min(BROWSER_MAX_AGE, lifetime),
        s_maxage=lifetime,
        stale_while_revalidate=stale,
    )
