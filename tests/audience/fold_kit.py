"""What the fold's tests share: events at given times, the rollups as plain values, and the
buffer on the database table or on a real Redis (TEST_REDIS_URL, this suite's own key)."""

from datetime import datetime, timedelta

import redis
from django.utils import timezone

from audience import buffer as buffering
from audience.events import VIEW, Event
from audience.models import DayFigures, HourFigures
from tests.caching_kit import REDIS_URL, use_real_redis


def at(days_ago: float = 0, hours: float = 0) -> float:
    """Seconds since the epoch: noon of the newsroom's day `days_ago`, plus `hours`."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon - timedelta(days=days_ago) + timedelta(hours=hours)).timestamp()


def day(days_ago: float = 0):
    return timezone.localdate() - timedelta(days=days_ago)


def view(target="story", target_id=0, **fields) -> Event:
    fields.setdefault("at", at())
    return Event(kind=VIEW, target=target, target_id=target_id, **fields)


def figures(kind, object_id=0, on=None) -> dict:
    """A day's row as a dict of its counts (zeros when there is none)."""
    row = DayFigures.objects.filter(day=on or day(), kind=kind, object_id=object_id).values(
        "views", "visitors", "engaged_seconds", "engagements", "reads_to_end"
    )
    return row.first() or dict.fromkeys(
        ("views", "visitors", "engaged_seconds", "engagements", "reads_to_end"), 0
    )


def hour_of(seconds: float) -> datetime:
    local = datetime.fromtimestamp(seconds, timezone.get_default_timezone())
    return local.replace(minute=0, second=0, microsecond=0)


def hour_figures(kind, object_id, seconds) -> dict:
    return (
        HourFigures.objects.filter(hour=hour_of(seconds), kind=kind, object_id=object_id)
        .values("views", "visitors")
        .first()
    )


def everything() -> list:
    """Every rollup row's values, to compare before and after."""
    from audience import models

    return [
        sorted(map(repr, model.objects.values_list(*fields)))
        for model, fields in [
            (models.DayFigures, ("day", "kind", "object_id", "views", "visitors",
                                 "engaged_seconds", "engagements", "reads_to_end")),
            (models.HourFigures, ("hour", "kind", "object_id", "views", "visitors")),
            (models.DayBreakdown, ("day", "kind", "object_id", "dimension", "value", "views")),
            (models.DaySearch, ("day", "term", "searches")),
            (models.NewsletterClicks, ("day", "issue_id", "story_id", "clicks")),
            (models.SignupsFromStory, ("day", "story_id", "newsletter_id", "signups")),
        ]
    ]  # fmt: skip


def use_redis(settings, prefix: str) -> redis.Redis:
    """The default cache, and so the buffer, on the real Redis under `prefix`; skipped (failed
    in CI) without one."""
    use_real_redis(settings, prefix=prefix)
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(stream_key(prefix))
    return client


def stream_key(prefix: str) -> str:
    return f"{prefix}:{buffering.STREAM}"
