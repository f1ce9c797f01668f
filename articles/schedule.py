"""What changes on the site by itself, with no write: scheduled stories going live.

A page must not outlive the moment a scheduled story joins a listing it draws. Few stories
are scheduled at once, so they are read in one go and turned into the earliest time for
each listing key (articles.listings), remembered until that time or until a story is
scheduled or unscheduled (a hard change names SCHEDULE). Takedown times need nothing here:
a page showing a story is right until that story's takedown time (Article.cache_expires_at).
"""

from collections import defaultdict

from django.utils import timezone

from caching import keys as cache_keys
from caching.values import remember

from .keys import SCHEDULE, listing_keys
from .models import Article, Byline, Status, TaggedArticle

MAX_SCHEDULED = 1000
# With more scheduled stories than that, a listing whose next one is further off is bounded
# by the last time read: no page outlives a story it did not see.
BEYOND = "*"


def next_change(listing: str) -> float | None:
    """When the next scheduled story joins `listing` (a Unix time), or None."""
    # Not shown as it is: each page is bounded by its own listings' times, not by the
    # earliest scheduled story of the site, and is not dropped when the schedule is.
    upcoming = cache_keys.once(SCHEDULE, lambda: remember(SCHEDULE, _upcoming, shown=False))
    return upcoming.get(listing, upcoming.get(BEYOND))


def _upcoming() -> dict[str, float]:
    """The earliest scheduled time of each listing key, in three queries of plain rows (no
    instances: the schedule is not a page, and names no story)."""
    rows = list(
        Article.objects.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("pk", "publish_at", "section_id", "section__parent_id", "series_id")[
            :MAX_SCHEDULED
        ]
    )
    ids = [row[0] for row in rows]
    authors, tags = defaultdict(list), defaultdict(list)
    for story, author in Byline.objects.filter(article_id__in=ids).values_list(
        "article_id", "author_id"
    ):
        authors[story].append(author)
    for story, tag in TaggedArticle.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag_id"
    ):
        tags[story].append(tag)
    times: dict[str, float] = {}
    for pk, publish_at, section, parent, series in rows:
        keys = listing_keys(section=section, parent=parent, series=series,
                            authors=authors[pk], tags=tags[pk])  # fmt: skip
        for key in keys:
            times.setdefault(key, publish_at.timestamp())  # the earliest: in order
    if len(rows) == MAX_SCHEDULED:
        times[BEYOND] = rows[-1][1].timestamp()
    cache_keys.show(SCHEDULE)
    if times:
        cache_keys.show(until=min(times.values()))
    return times
