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
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

logger = logging.getLogger(__name__)
GENERATION_KEY = "content-generation"
NEXT_CHANGE_KEY = "next-scheduled-change:{}"
NO_CHANGE = "none"


def generation() -> int:
    """The current content generation (1 on an empty cache)."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, 1, timeout=None)
            value = cache.get(GENERATION_KEY, 1)
        return int(value)
    except Exception:  # noqa: BLE001 - a cache outage must not break pages
        logger.warning("Cache unavailable: reading the content generation", exc_info=True)
        return 0


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted: start again above any number used before
        cache.add(GENERATION_KEY, int(timezone.now().timestamp()), timeout=None)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable: could not bump the content generation", exc_info=True)
        return
    # The writer pays for the one query readers would otherwise make after every change.
    seconds_until_next_change()


def content_changed(**kwargs) -> None:
    """Call after any write that changes what readers see (signals do it for the ORM)."""
    transaction.on_commit(_bump)


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
        times = Article.objects.filter(status=Status.PUBLISHED).aggregate(
            publish=Min("publish_at", filter=Q(publish_at__gt=now)),
            unpublish=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
        upcoming = min((t for t in times.values() if t is not None), default=None)
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


def connect_content_models() -> None:
    """Bump the generation when any model readers see is saved or deleted."""
    from django.apps import apps

    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-del-{label}")
    section = apps.get_model("sections.Section")
    post_save.connect(sections_changed, sender=section, dispatch_uid="navigation-save")
    post_delete.connect(sections_changed, sender=section, dispatch_uid="navigation-delete")


CONTENT_MODELS = [
    "articles.Article", "articles.Byline", "articles.RelatedArticle", "articles.TaggedArticle",
    "articles.Correction", "articles.Author", "articles.FrontPageSlot", "articles.SlugRedirect",
    "sections.Section", "sections.Series", "media.Image", "media.Rendition",
    "newsroom.SiteSettings", "taggit.Tag",
]  # fmt: skip
