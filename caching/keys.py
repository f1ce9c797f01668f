"""The one key scheme: what a page shows, by name.

Every public page names what it shows: `site`, and `story-12`, `section-3`, `series-4`,
`author-7`, `tag-9`, `image-5` for each object it loaded, plus a listing key for each list of
stories it drew (`stories`, `stories-section-3`…, named by articles.listings). Our page cache
files each page under these keys and a change drops exactly the pages that carry its keys;
the CDN gets the same keys (`Surrogate-Key`, `Cache-Tag`) and is purged by them.

Keys are collected while a page renders, as objects are loaded from the database (a page
cannot show a story it has not loaded, so no template can forget one). A model takes part by
declaring `cache_key_prefix`; a model that shows a change elsewhere (a byline shows on its
story) says which keys with a `cache_keys()` method, read by the safety net (invalidation).
A collection also keeps the earliest time the page stops being right by itself (a story's
takedown time, the next scheduled story of a listing): the page lives no longer.

This module imports nothing of the domain: models register themselves (caching.apps).
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models.signals import post_init

SITE = "site"  # on every page: a change to the whole site (navigation, settings) names it
# A page that shows too many things to name (a sitemap of every story) says so instead, and
# every change drops it: header sizes are limited (Fastly and Cloudflare: 16 KB).
OVERFLOW = "overflow"
MAX_HEADER_LENGTH = 8000
SURROGATE_KEY = "Surrogate-Key"
CACHE_TAG = "Cache-Tag"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class Collection:
    """What one page (or one remembered value) showed: its keys, and until when it is right."""

    keys: set[str] = field(default_factory=set)
    until: float | None = None  # a Unix time, or None: only changes end it
    memo: dict = field(default_factory=dict)  # what the page read once (`once`)

    def add(self, keys=(), until: float | None = None) -> None:
        self.keys.update(keys)
        if until is not None and (self.until is None or until < self.until):
            self.until = until


_current: ContextVar[Collection | None] = ContextVar("cache_keys", default=None)


@contextmanager
def collecting(*, shown: bool = True):
    """Collect the keys of what is loaded inside; an enclosing collection gets them too,
    unless what is made inside is not `shown` on the page as it is (the schedule)."""
    outer, collection = _current.get(), Collection()
    token = _current.set(collection)
    try:
        yield collection
    finally:
        _current.reset(token)
        if outer is not None and shown:
            outer.add(collection.keys, collection.until)


def show(*keys: str, until: float | None = None) -> None:
    """Say that what is being rendered shows `keys` (and is right only until `until`)."""
    collection = _current.get()
    if collection is not None:
        collection.add(keys, until)


def once(name: str, read):
    """`read()`, once per page being rendered however often the page asks (outside one,
    every time): what a page needs from the cache is read from it once."""
    collection = _current.get()
    if collection is None:
        return read()
    if name not in collection.memo:
        collection.memo[name] = read()
    return collection.memo[name]


def safe(text: str) -> str:
    """A key part made of the characters every CDN accepts."""
    return _UNSAFE.sub("", str(text))


# model -> (prefix, until): filled by register(), read for every instance loaded.
_registered: dict[type, tuple[str, object]] = {}


def register(model, prefix: str) -> None:
    """Name the instances of `model` `<prefix>-<pk>` on the pages that load them. A model may
    also say until when a loaded instance stays right (`cache_expires_at()`)."""
    _registered[model] = (prefix, getattr(model, "cache_expires_at", None))
    post_init.connect(_loaded, sender=model, dispatch_uid=f"cache-key-{model._meta.label}")


def key_of(instance) -> str | None:
    """The key of one instance, or None if its model has none."""
    found = _registered.get(type(instance))
    if found is None or instance.pk is None:
        return None
    return f"{found[0]}-{safe(instance.pk)}"


def keys_of(instance) -> set[str]:
    """The keys a change to `instance` drops: those it names itself (`cache_keys()`), else its
    own key, else the whole site."""
    named = getattr(instance, "cache_keys", None)
    if named is not None:
        return set(named())
    key = key_of(instance)
    return {key} if key else {SITE}


def _loaded(sender, instance, **kwargs) -> None:
    collection = _current.get()
    if collection is None or instance.pk is None:
        return
    prefix, expires = _registered[sender]
    collection.add((f"{prefix}-{safe(instance.pk)}",), expires(instance) if expires else None)


def header_value(keys: set, *, separator: str = " ") -> str:
    """The keys as one header value, `site` first; OVERFLOW when they are too many."""
    value = separator.join([SITE, *sorted(set(keys) - {SITE})])
    if len(value) > MAX_HEADER_LENGTH:
        return separator.join([SITE, OVERFLOW])
    return value


def named_in(value: str) -> set[str]:
    """The keys a header value names (either separator)."""
    return set(filter(None, re.split(r"[\s,]+", value or "")))
