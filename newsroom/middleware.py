"""Whole-page caching for anonymous readers, and HTTP caching headers for CDNs and browsers.

Cached entries are keyed by the content generation (newsroom.cache), so any change to
content makes every cached page stale at once. While one request renders a page anew after a
soft change (an edit, not a removal), concurrent readers get its previous copy instead of
waiting: two editors saving every second must not send every reader to the database.
Lifetimes are capped at the next scheduled publish or unpublish time. Staff (anyone with a
session), previews and the admin are never cached. `PAGE_CACHE=off` turns it all off.
"""

import hashlib
import logging
import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from .cache import generation, removals, seconds_until_next_change

logger = logging.getLogger(__name__)

# Query parameters that change what a public page shows; any other is ignored by the pages,
# so it is left out of the cache key too (no cache pollution with ?x=random).
PAGE_PARAMETERS = {"page", "q", "section", "series", "author", "from", "to", "full", "p"}
NEVER_CACHED = ("/admin/", "/preview/", "/media-library/", "/ckeditor5/", "/_bench/")
BROWSER_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 30
LOCK_SECONDS = 10
WAIT_SECONDS = 3.0


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        current, page = self._key(request)
        key, lock, latest = f"page:{current}:{page}", f"page:{current}:{page}:lock", ""
        entry, state = _get(key), "hit"
        if entry is None and not _add(lock, 1, LOCK_SECONDS):
            # Someone else is rendering it: don't render it twice. Meanwhile the page as it
            # was before a soft change will do; after a hard one, wait for the new page.
            entry, state = self._previous(page), "stale"
            if entry is None:
                entry, state = self._wait_for(key, lock), "hit"
        if entry is not None:
            response = self._from_entry(entry, stale=state == "stale")
            response["X-Cache"] = state
            return response
        removed = removals()  # read before rendering: what this copy may later stand in for
        response = self.get_response(request)
        if removed is not None:
            latest = f"page-latest:{page}"
        if not self._store(key, response, latest=latest, removed=removed):
            _delete(f"page-latest:{page}")  # the address no longer gives that page
        _delete(lock)
        response["X-Cache"] = "miss"
        return response

    def _cacheable_request(self, request) -> bool:
        return (
            settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(NEVER_CACHED)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def _key(self, request) -> str:
        params = sorted(
            (name, value)
            for name, values in request.GET.lists()
            if name in PAGE_PARAMETERS
            for value in values
        )
        raw = f"{request.get_host()}{request.path}?{urlencode(params)}"
        return generation(), hashlib.sha256(raw.encode()).hexdigest()

    def _previous(self, page: str):
        """The newest stored copy of this page, if nothing was taken away since it was
        rendered (the count of hard changes is still the same)."""
        latest = _get(f"page-latest:{page}")
        if latest is None:
            return None
        removed, entry = latest
        if removed != removals() or entry[3] <= time.time():
            return None
        return entry

    def _wait_for(self, key: str, lock: str):
        """The page another request is rendering, once stored; None if it will not be (it
        was not cacheable, or took too long): then render it here."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.02)
            entry = _get(key)
            if entry is not None:
                return entry
            if _get(lock) is None:  # done: stored just now, or not storable at all
                return _get(key)
        return None

    def _store(self, key: str, response, *, latest: str, removed: int | None) -> bool:
        """Keep the page for anonymous readers if it may be kept; whether it was."""
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
        ):
            return False
        if "Cache-Control" in response:  # the view decided (e.g. previews: private, no-store)
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
        expires = time.time() + lifetime
        headers = {k: v for k, v in response.items() if k.lower() != "x-cache"}
        entry = (response.status_code, headers, response.content, expires, stale)
        _set(key, entry, lifetime)
        if latest:
            _set(latest, (removed, entry), lifetime)
        self._cache_control(response, lifetime, stale)
        return True

    def _from_entry(self, entry, *, stale: bool = False) -> HttpResponse:
        status, headers, content, expires, stale_seconds = entry
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        # A hit costs two cache reads (generation, page) and no arithmetic on the database.
        # A stand-in for a page being rendered anew is for this moment only: nobody keeps it.
        lifetime = 0 if stale else max(0, math.floor(expires - time.time()))
        self._cache_control(response, lifetime, 0 if stale else stale_seconds)
        return response

    def _cache_control(self, response, lifetime: int, stale: int) -> None:
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
    except Exception:  # noqa: BLE001 - a cache outage means rendering, not an error page
        logger.warning("Page cache unavailable (get)", exc_info=True)
        return None


def _set(key, value, timeout) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001
        logger.warning("Page cache unavailable (set)", exc_info=True)


def _add(key, value, timeout) -> bool:
    try:
        return cache.add(key, value, timeout=timeout)
    except Exception:  # noqa: BLE001
        return True  # no cache: just render


def _delete(key) -> None:
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001
        pass
