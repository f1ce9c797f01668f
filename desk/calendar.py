"""The editorial calendar: which stories sit on which day, and why there.

A story sits on its publish time when it is scheduled or published; a story in progress
(planned, draft, submitted, returned, approved) on its due date, or, without one, on the day it
was last saved. Unpublished and archived stories, and pending changes, are not on it. Reading a
window is one query however many stories it holds (docs/desk.md, "The calendar").
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from articles import roles
from articles.models import Article, Status

# The statuses as the calendar shows them (its legend, in workflow order).
KINDS = {
    "planned": "Planned",
    "draft": "Draft",
    "submitted": "Submitted",
    "approved": "Approved",
    "scheduled": "Scheduled",
    "published": "Published",
}
# A story given a due date by a move, without one before, is due at the end of the day's work.
DEFAULT_DUE_TIME = time(17, 0)


def zone_label() -> str:
    """The site's time zone as staff say it: “New York time (America/New_York)”."""
    name = settings.TIME_ZONE
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time ({name})" if "/" in name else name


@dataclass
class Entry:
    """One story on the calendar: where it sits, what its time means, whether it may move."""

    article: Article
    when: datetime  # local time
    kind: str
    time_label: str
    movable: bool

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def writer(self) -> str:
        person = self.article.created_by
        return (person.get_full_name() or person.username) if person else ""


@dataclass
class Day:
    day: date
    in_range: bool  # False for the days before and after the month that fill the grid
    entries: list = field(default_factory=list)


def kind_of(article: Article, now: datetime) -> str:
    if article.status == Status.PUBLISHED:
        return "scheduled" if article.publish_at > now else "published"
    if article.status in (Status.DRAFT, Status.RETURNED):
        return "draft"
    return article.status  # planned, submitted, approved


def placed(article: Article, user, now: datetime) -> Entry:
    """Where a story sits and how it is labelled (see the module's docstring)."""
    kind = kind_of(article, now)
    if article.status == Status.PUBLISHED:
        when, prefix = article.publish_at, ""
        movable = roles.can_reschedule(user, article)
    else:
        when, prefix = article.due_at or article.modified_at, "due " if article.due_at else "saved "
        movable = roles.can_set_due_date(user, article)
    when = timezone.localtime(when)
    return Entry(article, when, kind, f"{prefix}{when:%H:%M}", movable)


def window(view: str, start: date) -> tuple[date, date, date]:
    """(first day shown, last day shown, the day whose month or week it is): a month fills
    whole weeks, Monday to Sunday; a week is Monday to Sunday."""
    if view == "week":
        first = start - timedelta(days=start.weekday())
        return first, first + timedelta(days=6), start
    month_start = start.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    first = month_start - timedelta(days=month_start.weekday())
    last_of_month = next_month - timedelta(days=1)
    return first, last_of_month + timedelta(days=6 - last_of_month.weekday()), month_start


def neighbours(view: str, start: date) -> tuple[date, date]:
    """The start of the previous and the next month or week."""
    if view == "week":
        return start - timedelta(days=7), start + timedelta(days=7)
    month_start = start.replace(day=1)
    previous = (month_start - timedelta(days=1)).replace(day=1)
    return previous, (month_start + timedelta(days=32)).replace(day=1)


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    begin = datetime.combine(first, time.min, tzinfo=zone)
    return begin, datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)


def stories_between(user, first: date, last: date):
    """The stories this person may see that sit on a day from `first` to `last`: one query."""
    begin, end = _bounds(first, last)
    in_progress = Q(status__in=roles.IN_PROGRESS)
    sits = (
        Q(status=Status.PUBLISHED, publish_at__gte=begin, publish_at__lt=end)
        | (in_progress & Q(due_at__gte=begin, due_at__lt=end))
        | (in_progress & Q(due_at__isnull=True, modified_at__gte=begin, modified_at__lt=end))
    )
    stories = Article.objects.filter(sits, pending_for__isnull=True)
    return (
        roles.visible_in_admin(user, stories)
        .select_related("section", "created_by")
        .defer("body", "teaser", "search_document")
    )


def days(user, view: str, start: date, now: datetime | None = None) -> list[Day]:
    """The calendar's days, each with its stories in time order."""
    now = now or timezone.now()
    first, last, anchor = window(view, start)
    grid = {}
    day = first
    while day <= last:
        in_range = view == "week" or day.month == anchor.month
        grid[day] = Day(day, in_range)
        day += timedelta(days=1)
    for article in stories_between(user, first, last):
        entry = placed(article, user, now)
        if entry.when.date() in grid:
            grid[entry.when.date()].entries.append(entry)
    for cell in grid.values():
        cell.entries.sort(key=lambda entry: (entry.when, entry.article.pk))
    return list(grid.values())


def moved_to(article: Article, day: date) -> datetime:
    """The new time of a story moved to `day`: the same time of day, in the site's zone."""
    if article.status == Status.PUBLISHED:
        kept = timezone.localtime(article.publish_at).time()
    else:
        kept = timezone.localtime(article.due_at).time() if article.due_at else DEFAULT_DUE_TIME
    return timezone.make_aware(datetime.combine(day, kept))
