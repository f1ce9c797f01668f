"""Caching that never shows the wrong thing: one content generation number.

Every cached page and fragment has the current generation in its key. Any write to content
(a story, its byline, tags, related links or corrections, an author, section, series, image,
the front page or the site settings) bumps the generation after its transaction commits, so
every cached page is stale at once and nothing is ever looked up again under the old number.
No per-URL bookkeeping, nothing to forget. Scheduled publish and unpublish times need no write:
`seconds_until_next_change()` caps every cache lifetime at the next one.

Signals are used here for one reason only: they catch every ORM write, whoever makes it.
They carry no business logic, only "something changed". If the cache is down, every call here
degrades to a miss; pages are then rendered uncached.
"""

import logging
import math
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

logger = logging.getLogger(__name__)
GENERATION_KEY = "content-generation"
REMOVALS_KEY = "content-removals"
NEXT_CHANGE_KEY = "next-scheduled-change:{}"
NO_CHANGE = "none"


def _fresh_counter() -> int:
    """Where a counter starts when the cache has none (empty, or evicted): microseconds since
    the epoch, above any number it can have reached before, so no key made with an old
    number is ever looked up again."""
    return time.time_ns() // 1000


def _counter(key: str) -> int:
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh_counter(), timeout=None)
        value = cache.get(key)
    return int(value)


def generation() -> int:
    """The current content generation: part of every cached page's key."""
    try:
        return _counter(GENERATION_KEY)
    except Exception:  # noqa: BLE001 - a cache outage must not break pages
        logger.warning("Cache unavailable: reading the content generation", exc_info=True)
        return 0


def removals() -> int | None:
    """How many hard changes (something taken away from readers) there have been. A page's
    previous copy may stand in for it only while this number is what it was when the copy
    was rendered. None when the cache cannot say: then no copy may."""
    try:
        return _counter(REMOVALS_KEY)
    except Exception:  # noqa: BLE001
        return None


def _bump(*, hard: bool = True) -> None:
    try:
        if hard:  # first, and atomically: no reader may take an old copy for a new one
            if not _incr(REMOVALS_KEY):
                cache.set(REMOVALS_KEY, _fresh_counter(), timeout=None)
        if not _incr(GENERATION_KEY):
            cache.set(GENERATION_KEY, _fresh_counter(), timeout=None)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable: could not bump the content generation", exc_info=True)
        return
    # The writer pays for the one query readers would otherwise make after every change.
    seconds_until_next_change()


def _incr(key: str) -> bool:
    try:
        cache.incr(key)
        return True
    except ValueError:  # evicted meanwhile
        return False


# What a change means for readers, as docs/visibility.md defines the three kinds.
NOTHING, SOFT, HARD = "nothing", "soft", "hard"
_RANK = {NOTHING: 0, SOFT: 1, HARD: 2}
SITE = "site"  # the surrogate key every public page carries


def announce(kind: str, *, keys=None) -> None:
    """Say what a write means for readers (the services do, once they know): nothing, soft or
    hard. A *hard* change takes something away from readers (a story unpublished, archived,
    rescheduled, given a takedown time or deleted; a picture whose rights may have ended): no
    page cached before it is served again. A *soft* one (an edit to a live story, a new
    story) lets others get the previous page for the seconds a new one takes to render.

    `keys` name what changed (`{"story-12"}`, newsroom.surrogate_keys): a hard change purges
    the CDN's pages that carry them; a hard change that names none purges every page (`site`).

    Inside a service call the strongest kind announced is kept, with the keys of its hard
    changes, and announced once when the outermost call ends; the cache and the CDN hear of
    it when the transaction commits."""
    if kind == NOTHING:
        return
    named = set(keys or ()) if kind == HARD else set()
    if kind == HARD and not named:
        named = {SITE}
    batch = getattr(_services, "batch", None)
    if batch is not None:
        if _RANK[kind] > _RANK[batch[0]]:
            batch[0] = kind
        batch[1] |= named
        return
    transaction.on_commit(partial(_changed, hard=kind == HARD, keys=frozenset(named)))


def _changed(*, hard: bool, keys: frozenset) -> None:
    """After the commit: our own cache first, so that whatever the CDN fetches once purged is
    rendered anew; then the CDN, for hard changes only (soft ones expire there by themselves
    within s-maxage, docs/performance.md)."""
    _bump(hard=hard)
    if hard:
        from . import cdn

        cdn.purge(keys=keys)


_services = threading.local()


@contextmanager
def announced_by_service():
    """One service call: the writes in it are announced once, by the service, not by the
    safety net below."""
    outermost = getattr(_services, "batch", None) is None
    if outermost:
        _services.batch = [NOTHING, set()]
    try:
        yield
        if outermost:
            (kind, keys), _services.batch = _services.batch, None
            announce(kind, keys=keys)
    finally:
        if outermost:
            _services.batch = None


def content_changed(sender=None, instance=None, signal=None, **kwargs) -> None:
    """The safety net for writes that bypass the services (a shell, a data migration, the
    admin pages of authors, sections or images): it knows nothing of what the write meant,
    so it assumes the worst for a story and its parts, and for anything deleted."""
    if getattr(_services, "batch", None) is not None:
        return
    announce(getattr(sender, "reader_change_on_save", HARD) if signal is post_save else HARD)


def seconds_until_next_change(now: datetime | None = None) -> float | None:
    """Seconds until the next scheduled publish or unpublish time, or None if none is due.

    Nothing cached may live past it: that is how a scheduled story appears on every cached
    page within a second of its time, with no worker and no write."""
    from articles.models import Article, Status

    now = now or timezone.now()
    key = NEXT_CHANGE_KEY.format(generation())
    try:
        stored = cache.get(key)
    except Exception:  # noqa: BLE001
        stored = None
    if stored is None or (stored != NO_CHANGE and stored <= now.timestamp()):
        # Two index reads (article_latest, article_unpublish), not a scan of the archive.
        published = Article.objects.filter(status=Status.PUBLISHED)
        times = [
            published.filter(publish_at__gt=now).order_by("publish_at")
            .values_list("publish_at", flat=True).first(),
            published.filter(unpublish_at__gt=now).order_by("unpublish_at")
            .values_list("unpublish_at", flat=True).first(),
        ]  # fmt: skip
        upcoming = min((t for t in times if t is not None), default=None)
        stored = upcoming.timestamp() if upcoming else NO_CHANGE
        try:
            timeout = max(1, math.ceil(stored - now.timestamp())) if upcoming else 3600
            cache.set(key, stored, timeout=timeout)
        except Exception:  # noqa: BLE001
            pass
    if stored == NO_CHANGE:
        return None
    return max(0.0, stored - now.timestamp())


NAVIGATION_KEY = "site-navigation"


def navigation() -> list:
    """The top-level sections shown in the menu: cached until a section changes."""
    from sections.models import Section

    try:
        value = cache.get(NAVIGATION_KEY)
    except Exception:  # noqa: BLE001
        value = None
    if value is None:
        value = list(Section.objects.filter(show_in_navigation=True, parent__isnull=True))
        try:
            cache.set(NAVIGATION_KEY, value, timeout=None)
        except Exception:  # noqa: BLE001
            pass
    return value


def sections_changed(**kwargs) -> None:
    transaction.on_commit(lambda: _forget(NAVIGATION_KEY))


def _forget(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable: could not forget %s", key, exc_info=True)


def content_models() -> list:
    """The models readers see: every model that declares `reader_change_on_save` "hard" or
    "soft", and those of other packages watched with `watch()`."""
    from django.apps import apps

    declared = [
        model
        for model in apps.get_models()
        if getattr(model, "reader_change_on_save", NOTHING) in (HARD, SOFT)
    ]
    return declared + [apps.get_model(label) for label in sorted(_watched)]


_watched: set[str] = set()


def watch(label: str) -> None:
    """Treat a model of another package (`"taggit.Tag"`) as content readers see: any write to
    it is a hard change."""
    _watched.add(label)


def connect_content_models() -> None:
    """Bump the generation when any model readers see is saved or deleted."""
    from django.apps import apps

    for model in content_models():
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-del-{label}")
    section = apps.get_model("sections.Section")
    post_save.connect(sections_changed, sender=section, dispatch_uid="navigation-save")
    post_delete.connect(sections_changed, sender=section, dispatch_uid="navigation-delete")
