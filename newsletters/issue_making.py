"""Making issues from what a newsletter's source publishes (docs/newsletters.md, "Issues"): one
issue per story for a newsletter that sends each story, a digest of the live stories since its
last issue for a daily or weekly one. Creating an issue is idempotent: a story lands in at most
one issue of a newsletter, however often it is published, republished or its task run. An
issue of a newsletter that sends by itself starts sending at once.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from articles.listings import CONDITIONS
from articles.models import Article
from articles.models.article import SPONSORED_TYPES
from sections.models import Section

from .models import Cadence, Issue, IssueStory, Newsletter, Source
from .sending import start_send

logger = logging.getLogger(__name__)


def newsletters_fed_by(article: Article, *, cadence: str = Cadence.EACH):
    """The active newsletters whose source this story belongs to: its series, its section (or
    the section it is a subsection of), or the whole site. A sponsored story feeds only those
    that chose to include sponsored stories."""
    fed = Q(source=Source.SITE) | Q(source=Source.SECTION, section_id=article.section_id)
    fed |= Q(source=Source.SECTION, section__children=article.section_id)  # a parent section
    if article.series_id:
        fed |= Q(source=Source.SERIES, series_id=article.series_id)
    newsletters = Newsletter.objects.filter(fed, is_active=True, cadence=cadence)
    if article.is_sponsored:
        newsletters = newsletters.filter(include_sponsored=True)
    return newsletters.distinct()


def issues_for_scheduled(article_id: int) -> list[Issue]:
    """The worker's task at a scheduled story's publish time. Does nothing if the story is not
    live (unpublished meanwhile, or rescheduled: the later task will see it)."""
    article = Article.objects.live().select_related("section").filter(pk=article_id).first()
    if article is None:
        return []
    return issues_for(article)


@transaction.atomic
def issues_for(article: Article) -> list[Issue]:
    """An issue for each "each story" newsletter this live story feeds and is not yet in.
    Those set to send by themselves start sending. A story published without email (the
    publisher's choice at the publish or schedule step) goes in none."""
    if not article.is_live() or article.publish_without_email:
        return []
    created = []
    for newsletter in newsletters_fed_by(article):
        issue = create_issue(newsletter, [article], subject=article.headline)
        if issue is not None:
            created.append(issue)
    return created


@transaction.atomic  # the lock below lasts until the issue is written, whoever calls
def create_issue(newsletter: Newsletter, stories, *, subject: str) -> Issue | None:
    """A draft issue of these stories, in this order, leaving out any the newsletter already
    carried; None when none is left. Sends it if the newsletter sends by itself."""
    # The newsletter's row is the lock: two workers (or a publish and a task) making issues
    # of one newsletter at once take turns, so neither misses the other's issue.
    Newsletter.objects.select_for_update().filter(pk=newsletter.pk).first()
    carried = set(
        IssueStory.objects.filter(issue__newsletter=newsletter).values_list("article_id", flat=True)
    )
    stories = [story for story in stories if story.pk not in carried]
    if not stories:
        return None
    last = newsletter.issues.aggregate(last=Max("number"))["last"] or 0
    issue = Issue.objects.create(newsletter=newsletter, number=last + 1, subject=subject[:200])
    IssueStory.objects.bulk_create(
        IssueStory(issue=issue, article=story, position=n) for n, story in enumerate(stories)
    )
    logger.info("Issue %s of %s made (%d stories)", issue.number, newsletter, len(stories))
    if newsletter.send_automatically:
        _start_sending(issue)
    return issue


def _start_sending(issue: Issue) -> None:
    """Start the send of an issue the newsletter sends by itself (the worker does the rest).
    If that fails the issue stays a draft on the desk, and the failure is logged."""
    try:
        with transaction.atomic():
            start_send(issue, user=None)
    except Exception:
        logger.exception("Could not start sending %s; it waits on the desk as a draft", issue)


# --- Digests ------------------------------------------------------------------------------------

PERIOD = {Cadence.DAILY: timedelta(days=1), Cadence.WEEKLY: timedelta(days=7)}


def last_slot(newsletter: Newsletter, now: datetime) -> datetime | None:
    """The latest time, at or before `now`, when this digest was due to go out: its send time
    in the site's time zone, on its weekday for a weekly one."""
    if newsletter.cadence not in PERIOD or newsletter.send_time is None:
        return None
    local = timezone.localtime(now)
    day = local.date()
    for _ in range(8):
        slot = timezone.make_aware(datetime.combine(day, newsletter.send_time))
        weekday_ok = newsletter.cadence == Cadence.DAILY or day.weekday() == (
            newsletter.weekday or 0
        )
        if weekday_ok and slot <= now:
            return slot
        day -= timedelta(days=1)
    return None


def stories_for_digest(newsletter: Newsletter, *, since: datetime, now: datetime):
    """Live stories of the newsletter's source published since `since`, oldest first; none
    published without email, and no sponsored one unless the newsletter includes them."""
    stories = (
        Article.objects.live(now)
        .filter(publish_at__gt=since, publish_without_email=False)
        .select_related("section")
    )
    if not newsletter.include_sponsored:
        stories = stories.exclude(article_type__in=SPONSORED_TYPES)
    if newsletter.source == Source.SERIES:
        stories = stories.filter(series_id=newsletter.series_id)
    elif newsletter.source == Source.SECTION:
        # The section's listing condition (subsections included): articles/listings.py.
        stories = stories.filter(CONDITIONS[Section](newsletter.section_id))
    return stories.order_by("publish_at", "pk")


def make_due_digests(now: datetime | None = None) -> list[Issue]:
    """Make the digests whose send time has come and that have no issue for it yet; run every
    few minutes by the worker. A digest with no new story makes no issue."""
    now = now or timezone.now()
    made = []
    for newsletter in Newsletter.objects.filter(
        is_active=True, cadence__in=list(PERIOD), send_time__isnull=False
    ):
        slot = last_slot(newsletter, now)
        if slot is None:
            continue
        with transaction.atomic():
            last = newsletter.issues.order_by("-created_at").first()
            if last is not None and last.created_at >= slot:
                continue  # this slot's digest is made already
            # Since the last issue; a new digest looks back one period, not at the archive.
            since = last.created_at if last else slot - PERIOD[newsletter.cadence]
            stories = list(stories_for_digest(newsletter, since=since, now=now))
            subject = f"{newsletter.name}: {timezone.localtime(slot):%B} {slot.day}"
            issue = create_issue(newsletter, stories, subject=subject)
            if issue is not None:
                made.append(issue)
    return made
