"""What the desk reads from the rollups: plain functions taking the period and the person.

Who sees what is decided here, on the server: editors, publishers and administrators see the
whole site; a contributor sees the stories they wrote (a byline linked to their account, or a
story they started) and nothing summed over other people's work. Each function aggregates in
the database and names what it counts with one `in_bulk`, so a page costs a few statements
however many stories a year of rollups holds (the indexes in migration 0002_desk_indexes).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import Article, Author
from sections.models import Section, Series

from .models import (
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

LIVE_WINDOW = timedelta(minutes=5)
NEW_STORY = timedelta(days=2)  # younger than this, a story's chart is drawn by the hour
PERIODS = {"today": "Today", "7d": "7 days", "30d": "30 days"}
_DAYS = {"today": 1, "7d": 7, "30d": 30}
_SUMS = {
    "views": Sum("views"),
    "visitors": Sum("visitors"),
    "engaged_seconds": Sum("engaged_seconds"),
    "engagements": Sum("engagements"),
    "reads_to_end": Sum("reads_to_end"),
}


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    first_day: date
    last_day: date

    @property
    def hourly(self) -> bool:
        return self.key == "today"


def period(key: str | None) -> Period:
    """The period a `?period=` names (today, 7d, 30d), ending today; anything else is today."""
    key = key if key in PERIODS else "today"
    today = timezone.localdate()
    return Period(key, PERIODS[key], today - timedelta(days=_DAYS[key] - 1), today)


@dataclass
class Row:
    """One line of a table: what was read (name, links) and its figures."""

    name: str
    views: int = 0
    visitors: int = 0
    engaged_seconds: int = 0
    engagements: int = 0
    reads_to_end: int = 0
    url: str = ""  # where readers read it
    figures_url: str = ""  # its own figures in the desk (stories)
    extra: dict = field(default_factory=dict)

    @property
    def average_seconds(self) -> int | None:
        """Average time reading: engaged seconds over the reports they came from."""
        return round(self.engaged_seconds / self.engagements) if self.engagements else None

    @property
    def read_to_end_rate(self) -> float | None:
        """Share of views that reached the end of the story (0 to 1)."""
        return min(self.reads_to_end / self.views, 1.0) if self.views else None


def _row(name: str, sums: dict, **links) -> Row:
    return Row(name=name, **{key: sums.get(key) or 0 for key in _SUMS}, **links)


# --- Who sees what ---------------------------------------------------------------------------


def sees_everything(user) -> bool:
    """Editors, publishers and administrators see the whole site's figures."""
    return user.is_active and user.is_staff and user.has_perm("articles.change_any_article")


def may_see_figures(user) -> bool:
    """Anyone on the desk who writes or edits stories has an audience page."""
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


def own_story_ids(user):
    """The stories a contributor wrote, as a subquery (no statement of its own)."""
    wrote = Q(bylines__author__user=user) | Q(created_by=user)
    # Only stories they may open in the desk: an embargoed story someone else created stays
    # out of sight even with their byline on it (articles/roles.py).
    stories = Article.objects.filter(wrote, pending_for__isnull=True)
    return roles.visible_in_admin(user, stories).values("pk")


def may_see_story(user, story: Article) -> bool:
    if sees_everything(user):
        return True
    return may_see_figures(user) and own_story_ids(user).filter(pk=story.pk).exists()


def _scoped(queryset, user, kind_field="kind", id_field="object_id"):
    """Rows of the whole site, or of the contributor's own stories."""
    if sees_everything(user):
        return queryset.filter(**{kind_field: Kind.SITE})
    return queryset.filter(**{kind_field: Kind.STORY, f"{id_field}__in": own_story_ids(user)})


# --- The period's overview -------------------------------------------------------------------


def totals(user, when: Period) -> Row:
    """Views, visitors (each day's visitors, added up), time reading, read to the end."""
    days = DayFigures.objects.filter(day__range=(when.first_day, when.last_day))
    return _row("Total", _scoped(days, user).aggregate(**_SUMS))


def chart(user, when: Period) -> list[tuple[datetime | date, int]]:
    """Views per hour today (so far), or per day over 7 or 30 days, with the empty ones."""
    if when.hourly:
        start = timezone.make_aware(datetime.combine(when.first_day, time()))
        rows = HourFigures.objects.filter(hour__gte=start, hour__lt=start + timedelta(days=1))
        counted = _scoped(rows, user).values("hour").annotate(n=Sum("views"))
        by_hour = {timezone.localtime(r["hour"]).hour: r["n"] for r in counted}
        hours = timezone.localtime().hour + 1
        return [(start + timedelta(hours=h), by_hour.get(h, 0)) for h in range(hours)]
    rows = DayFigures.objects.filter(day__range=(when.first_day, when.last_day))
    by_day = dict(_scoped(rows, user).values_list("day").annotate(n=Sum("views")))
    days = (when.last_day - when.first_day).days + 1
    return [(d, by_day.get(d, 0)) for d in (when.first_day + timedelta(n) for n in range(days))]


def _top_ids(user, when: Period, kind: str, limit: int | None) -> list[dict]:
    """The most viewed of a kind in the period, with their sums. Ranked by views alone first
    (one sum over the period's rows, the costly part on a year of 100,000 stories), then the
    other figures summed for the ranked few only, by the (kind, object_id, day) index."""
    rows = DayFigures.objects.filter(kind=kind, day__range=(when.first_day, when.last_day))
    if kind == Kind.STORY and not sees_everything(user):
        rows = rows.filter(object_id__in=own_story_ids(user))
    ranked = rows.values("object_id").annotate(views=Sum("views")).order_by("-views", "object_id")
    order = [r["object_id"] for r in (ranked[:limit] if limit else ranked)]
    if not order:
        return []
    sums = {
        r["object_id"]: r
        for r in rows.filter(object_id__in=order).values("object_id").annotate(**_SUMS)
    }
    return [sums[pk] for pk in order]


def top_stories(user, when: Period, limit: int | None = 10) -> list[Row]:
    """The most read stories of the period (a contributor's own only)."""
    ranked = _top_ids(user, when, Kind.STORY, limit)
    stories = (
        Article.objects.select_related("section")
        .defer("body", "search_document", "teaser", "dek")  # the section's manager needs parent
        .in_bulk([r["object_id"] for r in ranked])
    )
    return [_story_row(stories.get(r["object_id"]), r["object_id"], r) for r in ranked]


def _story_row(story: Article | None, pk: int, sums: dict) -> Row:
    if story is None:
        return _row(f"A deleted story ({pk})", sums)
    return _row(
        story.headline or "(no headline)",
        sums,
        url=story.get_absolute_url(),
        figures_url=reverse("admin:audience-story", args=[pk]),
    )


_NAMED = {Kind.SECTION: Section, Kind.SERIES: Series, Kind.AUTHOR: Author}


def top_named(user, when: Period, kind: str, limit: int | None = 10) -> list[Row]:
    """The most read sections, series or authors; only editors and publishers see them."""
    if not sees_everything(user):
        return []
    ranked = _top_ids(user, when, kind, limit)
    named = _NAMED[kind].objects.in_bulk([r["object_id"] for r in ranked])
    rows = []
    for r in ranked:
        thing = named.get(r["object_id"])
        rows.append(
            _row(thing.name, r, url=thing.get_absolute_url())
            if thing
            else _row(f"Removed ({r['object_id']})", r)
        )
    return rows


def breakdown(user, when: Period, dimension: str, limit: int | None = 10) -> list[Row]:
    """Views by source, referring site or device: the site's, or a contributor's stories'."""
    rows = DayBreakdown.objects.filter(
        dimension=dimension, day__range=(when.first_day, when.last_day)
    )
    ranked = (
        _scoped(rows, user).values("value").annotate(views=Sum("views")).order_by("-views", "value")
    )
    return [Row(name=r["value"] or "unknown", views=r["views"]) for r in ranked[:limit]]


def search_terms(user, when: Period, limit: int | None = 10) -> list[Row]:
    """What readers searched for on our search page; the whole site's, so editors' only."""
    if not sees_everything(user):
        return []
    terms = (
        DaySearch.objects.filter(day__range=(when.first_day, when.last_day))
        .values("term")
        .annotate(views=Sum("searches"))
        .order_by("-views", "term")
    )
    return [Row(name=r["term"], views=r["views"]) for r in terms[:limit]]


# --- Now -------------------------------------------------------------------------------------


def live(user, limit: int = 10) -> dict:
    """Readers in the last five minutes and what they are reading, most read first."""
    readers = LiveReader.objects.filter(seen_at__gte=timezone.now() - LIVE_WINDOW)
    if not sees_everything(user):
        readers = readers.filter(kind=Kind.STORY, object_id__in=own_story_ids(user))
    places = list(
        readers.values("kind", "object_id", "path")
        .annotate(readers=Count("pk"))
        .order_by("-readers", "path")
    )
    story_ids = [p["object_id"] for p in places[:limit] if p["kind"] == Kind.STORY]
    stories = Article.objects.only("headline").in_bulk(story_ids) if story_ids else {}
    pages = []
    for place in places[:limit]:
        story = stories.get(place["object_id"]) if place["kind"] == Kind.STORY else None
        pages.append(
            {
                "title": (story.headline if story else None) or place["path"],
                "path": place["path"],
                "readers": place["readers"],
                "figures_url": (reverse("admin:audience-story", args=[story.pk]) if story else ""),
            }
        )
    return {"readers": sum(p["readers"] for p in places), "pages": pages}


# --- One story -------------------------------------------------------------------------------


@dataclass
class StoryFigures:
    totals: Row
    chart: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    domains: list = field(default_factory=list)
    devices: list = field(default_factory=list)
    signups: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    per: str = "day"  # what one bar of the chart is: hour, day, week or month


# A story's chart has a bar a day for its first three months, then a bar a week, then a month:
# a few hundred bars at most, however old the story (an SVG of 3,000 bars took half a second).
DAILY_DAYS, WEEKLY_DAYS = 92, 2 * 366


def _buckets(days: list, per: str) -> list:
    """(day, views) pairs added up by the week (from Monday) or the month they fall in."""
    if per == "day":
        return days
    summed: dict = {}
    for day, views in days:
        start = day - timedelta(days=day.weekday()) if per == "week" else day.replace(day=1)
        summed[start] = summed.get(start, 0) + views
    return list(summed.items())


def story_summary(story: Article) -> tuple[Row, list[int]]:
    """The story editor's "Readers" group: totals since publishing and views of its last 14
    days for a sparkline, in one statement."""
    days = list(
        DayFigures.objects.filter(kind=Kind.STORY, object_id=story.pk)
        .order_by("day")
        .values_list("day", *_SUMS)
    )
    total = _row("Total", {k: sum(d[i + 1] for d in days) for i, k in enumerate(_SUMS)})
    today = timezone.localdate()
    views = {d[0]: d[1] for d in days}
    return total, [views.get(today - timedelta(days=n), 0) for n in range(13, -1, -1)]


def story_figures(story: Article) -> StoryFigures:
    """Everything the desk shows of one story (callers check `may_see_story` first)."""
    total, _spark = story_summary(story)
    figures = StoryFigures(totals=total)
    # Its date as readers see it (publish_at) may be older than when it first went live (a
    # story restored or republished with its original date): the chart starts at the earlier.
    went_live = [t for t in (story.first_published_at, story.publish_at) if t]
    published = min(went_live) if went_live else story.created_at
    now = timezone.now()
    if now - published < NEW_STORY:
        figures.per = "hour"
        # The newsroom's hours, as the fold files them (a half-hour zone's too).
        start = timezone.localtime(published).replace(minute=0, second=0, microsecond=0)
        by_hour = dict(
            HourFigures.objects.filter(kind=Kind.STORY, object_id=story.pk, hour__gte=start)
            .values_list("hour")
            .annotate(n=Sum("views"))
        )
        hours = int((now - start).total_seconds() // 3600) + 1
        steps = (start + timedelta(hours=n) for n in range(hours))
        figures.chart = [(h, by_hour.get(h, 0)) for h in steps]
    else:
        first = timezone.localtime(published).date()
        by_day = dict(
            DayFigures.objects.filter(
                kind=Kind.STORY, object_id=story.pk, day__gte=first
            ).values_list("day", "views")
        )
        days = (timezone.localdate() - first).days + 1
        figures.chart = [(d, by_day.get(d, 0)) for d in (first + timedelta(n) for n in range(days))]
        figures.per = "day" if days <= DAILY_DAYS else "week" if days <= WEEKLY_DAYS else "month"
        figures.chart = _buckets(figures.chart, figures.per)
    by_dimension: dict[str, list[Row]] = {}
    for dimension, value, views in (
        DayBreakdown.objects.filter(kind=Kind.STORY, object_id=story.pk)
        .values_list("dimension", "value")
        .annotate(n=Sum("views"))
        .order_by("-n", "value")
    ):
        by_dimension.setdefault(dimension, []).append(Row(name=value or "unknown", views=views))
    figures.sources = by_dimension.get(Dimension.REFERRER, [])
    figures.domains = by_dimension.get(Dimension.DOMAIN, [])[:20]
    figures.devices = by_dimension.get(Dimension.DEVICE, [])
    figures.signups = _signups(story)
    figures.issues = _issues(story)
    return figures


def _signups(story: Article) -> list[Row]:
    from newsletters.models import Newsletter  # newsletters imports articles; keep it late

    made = list(
        SignupsFromStory.objects.filter(story_id=story.pk)
        .values("newsletter_id")
        .annotate(n=Sum("signups"))
        .order_by("-n")
    )
    if not made:
        return []
    names = Newsletter.objects.only("name").in_bulk([m["newsletter_id"] for m in made])
    return [
        Row(
            name=getattr(names.get(m["newsletter_id"]), "name", "A removed newsletter"),
            views=m["n"],
        )
        for m in made
    ]


def _issues(story: Article) -> list[Row]:
    """The newsletter issues that carried the story, with the clicks it had from each."""
    from newsletters.models import IssueStory

    carried = list(
        IssueStory.objects.filter(article_id=story.pk)
        .select_related("issue__newsletter")
        .order_by("-issue__sent_at", "-issue_id")
    )
    clicks = dict(
        NewsletterClicks.objects.filter(story_id=story.pk)
        .values_list("issue_id")
        .annotate(n=Sum("clicks"))
    )
    rows = []
    for item in carried:
        issue = item.issue
        rows.append(
            Row(
                name=f"{issue.newsletter.name} #{issue.number}: {issue.subject}",
                views=clicks.get(issue.pk, 0),
                url=reverse("admin:newsletters_issue_change", args=[issue.pk]),
                extra={"sent_at": issue.sent_at},
            )
        )
    return rows
