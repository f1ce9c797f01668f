"""Rollup rows made directly, as the fold (audience/folding.py) would leave them: for the
desk's tests and screenshots, which read rollups and need no beacon or worker."""

from datetime import date, datetime, timedelta

from django.db.models import F
from django.utils import timezone

from audience.models import (
    DayBreakdown,
    DayFigures,
    DaySearch,
    Dimension,
    HourFigures,
    Kind,
    LiveReader,
    NewsletterClicks,
    SignupsFromStory,
)


def read(
    kind: str = Kind.STORY,
    object_id: int = 0,
    *,
    day: date | None = None,
    views: int = 10,
    visitors: int | None = None,
    engaged_seconds: int = 0,
    engagements: int = 0,
    reads_to_end: int = 0,
    hour: datetime | None = None,
) -> DayFigures:
    """A day's figures for one story, page, section, series, author or the site (and, with
    `hour`, the same figures for that hour)."""
    fields = {
        "views": views,
        "visitors": views if visitors is None else visitors,
        "engaged_seconds": engaged_seconds,
        "engagements": engagements,
        "reads_to_end": reads_to_end,
    }
    day = day or timezone.localdate()
    if hour is not None:
        _add(HourFigures, fields, kind=kind, object_id=object_id, hour=hour)
    return _add(DayFigures, fields, kind=kind, object_id=object_id, day=day)


def _add(model, fields: dict, **key):
    """Adds to the row for `key` (the site's row gathers every story's figures)."""
    row, created = model.objects.get_or_create(**key, defaults=fields)
    if not created:
        model.objects.filter(pk=row.pk).update(**{f: F(f) + n for f, n in fields.items()})
        row.refresh_from_db()
    return row


def story_read(story, **figures) -> DayFigures:
    """A day of a story read, counted for the story and for the whole site."""
    read(Kind.SITE, 0, **figures)
    return read(Kind.STORY, story.pk, **figures)


def came_from(kind, object_id, dimension, value, views, day=None) -> DayBreakdown:
    return DayBreakdown.objects.create(
        kind=kind, object_id=object_id, dimension=dimension, value=value, views=views,
        day=day or timezone.localdate(),
    )  # fmt: skip


def searched(term: str, searches: int, day=None) -> DaySearch:
    return DaySearch.objects.create(term=term, searches=searches, day=day or timezone.localdate())


def reading_now(story=None, path: str = "/", key: str | None = None, ago: int = 10) -> LiveReader:
    """A reader seen `ago` seconds ago on a story (or another page)."""
    kind, object_id = (Kind.STORY, story.pk) if story is not None else (Kind.OTHER, 0)
    if story is not None and path == "/":
        path = story.get_absolute_url()
    return LiveReader.objects.create(
        key=key or f"reader-{LiveReader.objects.count() + 1}-{object_id}",
        kind=kind, object_id=object_id, path=path,
        seen_at=timezone.now() - timedelta(seconds=ago),
    )  # fmt: skip


def signed_up(story, newsletter, signups: int = 1, day=None) -> SignupsFromStory:
    return SignupsFromStory.objects.create(
        story_id=story.pk, newsletter_id=newsletter.pk, signups=signups,
        day=day or timezone.localdate(),
    )  # fmt: skip


def clicked(issue, story, clicks: int, day=None) -> NewsletterClicks:
    return NewsletterClicks.objects.create(
        issue_id=issue.pk, story_id=story.pk, clicks=clicks, day=day or timezone.localdate()
    )


__all__ = ["Dimension", "Kind"]
