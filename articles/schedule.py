"""What changes on the site by itself, with no write: scheduled stories going live.

A page must not outlive the moment a scheduled story joins a listing it draws. Few stories
are scheduled at once, so they are read in one go and turned into the earliest time for
each listing key (articles.listings), remembered until that time or until a story is
scheduled or unscheduled (a hard change names SCHEDULE). Takedown times need nothing here:
a page showing a story is right until that story's takedown time (Article.cache_expires_at).
"""

from django.db.models import Prefetch
from django.utils import timezone

from caching import keys as cache_keys
from caching.values import remember

from .keys import ALL, CORRECTIONS, SCHEDULE, listing_keys
from .models import Article, Byline, Status, TaggedArticle

__all__ = ["ALL", "CORRECTIONS", "SCHEDULE", "listing_keys", "next_change"]
MAX_SCHEDULED = 1000


def next_change(listing: str) -> float | None:
    """When the next scheduled story joins `listing` (a Unix time), or None."""
    # Not shown as it is: each page is bounded by its own listings' times, not by the
    # earliest scheduled story of the site, and is not dropped when the schedule is.
    upcoming = cache_keys.once(SCHEDULE, lambda: remember(SCHEDULE, _upcoming, shown=False))
    return upcoming.get(listing)


def _upcoming() -> dict[str, float]:
    cache_keys.show(SCHEDULE)
    scheduled = (
        Article.objects.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now())
        .select_related("section")
        .only("pk", "publish_at", "section__parent_id", "series_id")
        .prefetch_related(
            Prefetch("bylines", Byline.objects.only("article_id", "author_id")),
            Prefetch("tagged_items", TaggedArticle.objects.only("content_object_id", "tag_id")),
        )
        .order_by("publish_at")[:MAX_SCHEDULED]
    )
    times: dict[str, float] = {}
    for story in scheduled:
        keys = listing_keys(
            section=story.section_id,
            parent=story.section.parent_id,
            series=story.series_id,
            authors=[b.author_id for b in story.bylines.all()],
            tags=[t.tag_id for t in story.tagged_items.all()],
        )
        for key in keys:
            times.setdefault(key, story.publish_at.timestamp())  # the earliest: in order
    if times:
        cache_keys.show(until=min(times.values()))
    return times
