"""The audience rollups: what the worker folds events into (audience/folding.py) and the desk
reads (audience/figures.py). Raw events are never stored here: they wait in the buffer
(audience/buffer.py) and are gone once folded. No IP address, no user agent, no cookie.

Rows name what they count by (kind, object_id) rather than by foreign keys: a rollup outlives
a deleted story, and the fold writes them without joins. `object_id` is 0 for the whole site.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SITE = "site", _("whole site")
    STORY = "story", _("story")
    PAGE = "page", _("page")
    SECTION = "section", _("section")
    SERIES = "series", _("series")
    AUTHOR = "author", _("author")
    OTHER = "other", _("other page")  # home, listings, search: counted for the site only


class Figures(models.Model):
    """The counts every rollup row carries."""

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    # Distinct visitors of that day (or hour), by the day's salted hash; readers who send
    # Sec-GPC or DNT are counted in views only.
    visitors = models.PositiveIntegerField(default=0)
    engaged_seconds = models.PositiveBigIntegerField(default=0)
    # How many engaged-time reports the seconds came from (average = seconds / engagements).
    engagements = models.PositiveIntegerField(default=0)
    reads_to_end = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.views} views"


class DayFigures(Figures):
    day = models.DateField()

    class Meta:
        verbose_name = _("day's figures")
        verbose_name_plural = _("days' figures")
        constraints = [
            models.UniqueConstraint(fields=["day", "kind", "object_id"], name="audience_day_once")
        ]
        indexes = [
            models.Index(fields=["kind", "day"], name="audience_day_kind"),
            # One story's days (the desk's story page, its editor's "Readers" group).
            models.Index(fields=["kind", "object_id", "day"], name="audience_day_of"),
        ]


class HourFigures(Figures):
    """Per hour, for the site, stories and pages (today's chart and a new story's first day)."""

    hour = models.DateTimeField()

    class Meta:
        verbose_name = _("hour's figures")
        verbose_name_plural = _("hours' figures")
        constraints = [
            models.UniqueConstraint(fields=["hour", "kind", "object_id"], name="audience_hour_once")
        ]
        indexes = [
            models.Index(fields=["kind", "hour"], name="audience_hour_kind"),
            models.Index(fields=["kind", "object_id", "hour"], name="audience_hour_of"),
        ]


class Dimension(models.TextChoices):
    REFERRER = "referrer", _("source")  # search, social, newsletter, other site, direct, internal
    DOMAIN = "domain", _("referring site")
    DEVICE = "device", _("device")  # mobile, tablet, desktop
    COUNTRY = "country", _("country")  # only with a GeoIP database or a CDN's country header


class DayBreakdown(models.Model):
    """Views of one day split by one dimension, for the site and each story and page."""

    day = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(default=0)
    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    value = models.CharField(max_length=100)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "object_id", "dimension", "value"],
                name="audience_breakdown_once",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "object_id", "day"], name="audience_breakdown_of"),
            models.Index(fields=["dimension", "day"], name="audience_breakdown_dim"),
        ]

    def __str__(self):
        return f"{self.day} {self.kind} {self.object_id} {self.dimension}={self.value}"


class DaySearch(models.Model):
    """What readers searched for on our own search page, per day (lower-cased, trimmed)."""

    day = models.DateField()
    term = models.CharField(max_length=100)
    searches = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "term"], name="audience_search_once")]
        indexes = [models.Index(fields=["day"], name="audience_search_day")]

    def __str__(self):
        return f"{self.day} {self.term!r}: {self.searches}"


class NewsletterClicks(models.Model):
    """Clicks through the signed redirect links of a sent newsletter issue, per story and day."""

    day = models.DateField()
    issue_id = models.PositiveBigIntegerField()
    story_id = models.PositiveBigIntegerField()
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "issue_id", "story_id"], name="audience_clicks_once"
            )
        ]
        indexes = [models.Index(fields=["story_id", "day"], name="audience_clicks_story")]

    def __str__(self):
        return f"{self.day} issue {self.issue_id} story {self.story_id}: {self.clicks}"


class SignupsFromStory(models.Model):
    """Newsletter sign-ups made from a story's page, per newsletter and day."""

    day = models.DateField()
    story_id = models.PositiveBigIntegerField()
    newsletter_id = models.PositiveBigIntegerField()
    signups = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "story_id", "newsletter_id"], name="audience_signups_once"
            )
        ]
        indexes = [models.Index(fields=["story_id", "day"], name="audience_signups_story")]

    def __str__(self):
        return f"{self.day} story {self.story_id}: {self.signups}"


class DayVisitor(models.Model):
    """A visitor's hash seen that day on the site, a story or a page: how the fold counts each
    visitor once a day. Kept only while the day's salt may still be in use (today and
    yesterday), then deleted with it (audience/folding.py)."""

    day = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(default=0)
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "object_id", "visitor"], name="audience_visitor_once"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.kind} {self.object_id}"


class LiveReader(models.Model):
    """Who is reading now: one row a visitor (or, without a hash, a view), with what they last
    opened; rows older than the live window (5 minutes) are deleted by the fold."""

    key = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(default=0)
    path = models.CharField(max_length=300)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.kind} {self.object_id} at {self.seen_at}"


class FoldCursor(models.Model):
    """How far the fold has read the buffer, written in the same transaction as the rollups it
    folded: a worker killed mid-fold leaves the cursor and the rollups as they were."""

    name = models.CharField(max_length=40, primary_key=True)
    position = models.CharField(max_length=40, default="0")
    folded = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.name} at {self.position}"


class PendingEvent(models.Model):
    """The buffer without Redis (development, `make run` on SQLite): events waiting to be
    folded, as audience/events.py encodes them. With Redis they wait in a stream instead."""

    data = models.BinaryField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"event {self.pk}"
