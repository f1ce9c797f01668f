"""The desk home's queues: what each role has to act on, each in a fixed number of queries
however many stories there are."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import roles
from articles.models import Article, ProfileChange, Status, Transition
from contact.models import ContactMessage
from media.models import Image
from pages.models import Page

from .models import Notification, Verb

LIMIT = 50  # a queue longer than this is read in the story list, not on the home page


@dataclass
class Entry:
    """One line of a queue: the story (or page), a short note ("waiting 3 h") and a comment
    in full."""

    article: Article | None
    note: str = ""
    comment: str = ""
    when: datetime | None = None
    image: Image | None = None
    stories: list = field(default_factory=list)  # the live stories showing `image`
    issue: object = None  # a newsletter issue waiting to go out
    profile_change: object = None  # a change to an author profile waiting for an editor
    report: ContactMessage | None = None  # a reader's message no editor has handled yet
    page: Page | None = None  # one of the newsroom's own pages, at a step of the workflow


@dataclass
class Queue:
    key: str
    title: str
    entries: list
    empty: str = "Nothing here."


def role_of(user) -> str:
    """Which home a person gets: the highest role their permissions give them."""
    if user.has_perm("articles.publish_article"):
        return "publisher"
    if user.has_perm("articles.approve_article"):
        return "editor"
    return "contributor"


def waited(since: datetime, now: datetime) -> str:
    """How long something has waited, the way people say it: “waiting 3 h”."""
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 60:
        return f"waiting {max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"waiting {minutes // 60} h"
    return f"waiting {minutes // (24 * 60)} days"


def _due(when: datetime | None) -> str:
    """An assignment's due time, as the calendar shows it (the site's time zone)."""
    return f"due {timezone.localtime(when):%a %-d %b, %H:%M}" if when else "no due date"


def _last(to_status: str, field: str):
    """The latest workflow step into `to_status` of each story: its `field`."""
    steps = Transition.objects.filter(article=OuterRef("pk"), to_status=to_status)
    return Subquery(steps.order_by("-created_at", "-pk").values(field)[:1])


def _mine_q(user) -> Q:
    """Stories a person created or is bylined on."""
    return Q(created_by=user) | Q(pk__in=Article.objects.filter(bylines__author__user=user))


def _pages(status: str, **mine):
    """Pages at one workflow step, oldest step first; a page's step saves its modified_at."""
    return Page.objects.filter(status=status, **mine).order_by("modified_at", "pk")


def _returned_comment(user):
    """What the editor said returning each page: the comment of its latest notification."""
    notes = Notification.objects.filter(page=OuterRef("pk"), verb=Verb.RETURNED, recipient=user)
    return Subquery(notes.order_by("-created_at", "-pk").values("comment")[:1])


def _with_pages(entries: list, pages, now: datetime | None = None, **extra) -> list:
    """A queue's stories, then its pages (each a fixed one query)."""
    for page in pages[:LIMIT]:
        note = waited(page.modified_at, now) if now else ""
        comment = getattr(page, "return_comment", None) or ""
        entries.append(Entry(None, page=page, note=note, comment=comment, **extra))
    return entries


def contributor_queues(user, now: datetime) -> list[Queue]:
    mine = Article.objects.filter(_mine_q(user)).order_by("-modified_at")
    returned = mine.filter(status=Status.RETURNED).annotate(
        return_comment=_last(Status.RETURNED, "comment"),
        returned_at=_last(Status.RETURNED, "created_at"),
    )
    submitted = mine.filter(status=Status.SUBMITTED).annotate(
        submitted_at=Coalesce(_last(Status.SUBMITTED, "created_at"), "modified_at")
    )
    published = mine.filter(
        status=Status.PUBLISHED, publish_at__gt=now - timedelta(days=7), publish_at__lte=now
    ).order_by("-publish_at")
    assigned = mine.filter(status=Status.PLANNED).order_by("due_at", "pk")
    return [
        Queue(
            "assigned",
            "Assigned to me",
            [
                Entry(a, note=_due(a.due_at), comment=a.assignment_note, when=a.due_at)
                for a in assigned[:LIMIT]
            ],
            "No assignments.",
        ),
        Queue(
            "drafts",
            "My drafts",
            _with_pages(
                [Entry(a) for a in mine.filter(status=Status.DRAFT)[:LIMIT]],
                _pages(Status.DRAFT, created_by=user),
            ),
        ),
        Queue(
            "returned",
            "Returned to me",
            _with_pages(
                [Entry(a, comment=a.return_comment, when=a.returned_at) for a in returned[:LIMIT]],
                _pages(Status.RETURNED, created_by=user).annotate(
                    return_comment=_returned_comment(user)
                ),
            ),
        ),
        Queue(
            "submitted",
            "Submitted and waiting",
            _with_pages(
                [Entry(a, note=waited(a.submitted_at, now)) for a in submitted[:LIMIT]],
                _pages(Status.SUBMITTED, created_by=user),
                now,
            ),
        ),
        Queue(
            "published",
            "Published in the last 7 days",
            [Entry(a, when=a.publish_at) for a in published[:LIMIT]],
        ),
    ]


def _awaiting_review(now: datetime) -> Queue:
    stories = (
        Article.objects.filter(status=Status.SUBMITTED)
        .annotate(submitted_at=Coalesce(_last(Status.SUBMITTED, "created_at"), "modified_at"))
        .order_by("submitted_at", "pk")
    )
    return Queue(
        "review",
        "Awaiting review",
        _with_pages(
            [Entry(a, note=waited(a.submitted_at, now)) for a in stories[:LIMIT]],
            _pages(Status.SUBMITTED),
            now,
        ),
    )


def _approved(title: str) -> Queue:
    stories = Article.objects.filter(status=Status.APPROVED).annotate(
        approved_at=_last(Status.APPROVED, "created_at")
    )
    return Queue(
        "approved",
        title,
        _with_pages(
            [Entry(a, when=a.approved_at) for a in stories.order_by("approved_at", "pk")[:LIMIT]],
            _pages(Status.APPROVED),
        ),
    )


def editor_queues(user, now: datetime) -> list[Queue]:
    returns = (
        Transition.objects.filter(
            user=user, to_status=Status.RETURNED, created_at__gte=now - timedelta(days=7)
        )
        .select_related("article")
        .order_by("-created_at", "-pk")
    )
    return [
        _awaiting_review(now),
        _approved("Approved, waiting for a publisher"),
        Queue(
            "my-returns",
            "What I returned recently",
            [Entry(t.article, comment=t.comment, when=t.created_at) for t in returns[:LIMIT]],
        ),
    ]


def _timeline(now: datetime) -> Queue:
    """Scheduled publishing and unpublishing in the next 48 hours, in time order."""
    until = now + timedelta(hours=48)
    stories = Article.objects.filter(status=Status.PUBLISHED).filter(
        Q(publish_at__gt=now, publish_at__lte=until)
        | Q(unpublish_at__gt=now, unpublish_at__lte=until)
    )
    events = []
    for story in stories[:LIMIT]:
        if now < story.publish_at <= until:
            events.append(Entry(story, note="goes live", when=story.publish_at))
        if story.unpublish_at and now < story.unpublish_at <= until:
            events.append(Entry(story, note="comes down", when=story.unpublish_at))
    events.sort(key=lambda entry: entry.when)
    return Queue("timeline", "The next 48 hours", events, "Nothing scheduled.")


def _expiring_pictures(now: datetime) -> Queue:
    """Pictures whose usage rights end in the next 14 days, with the live stories showing
    them (as lead, social or body picture): two queries, three with any picture."""
    today = timezone.localdate(now)
    images = list(
        Image.objects.filter(
            usable_until__gte=today, usable_until__lte=today + timedelta(days=14)
        ).order_by("usable_until", "pk")[:LIMIT]
    )
    uses = Q(lead_image__in=images) | Q(social_image__in=images)
    for image in images:
        uses |= Q(body__contains=image.file.name)
    live = list(Article.objects.live(now).filter(uses)) if images else []
    entries = []
    for image in images:
        stories = [
            a
            for a in live
            if image.pk in (a.lead_image_id, a.social_image_id) or image.file.name in a.body
        ]
        entries.append(Entry(None, image=image, when=image.usable_until, stories=stories))
    return Queue("rights", "Pictures whose rights end within 14 days", entries, "None.")


def _newsletter_issues(user) -> list[Queue]:
    """Newsletter issues not sent yet (drafts the desk must send, and scheduled ones), for
    those who may send them: one query."""
    if not user.has_perm("newsletters.change_issue"):
        return []
    from newsletters.models import Issue

    waiting = (
        Issue.objects.filter(state__in=[Issue.State.DRAFT, Issue.State.SCHEDULED])
        .select_related("newsletter")
        .order_by("created_at", "pk")
    )
    entries = [
        Entry(None, issue=issue, note=issue.get_state_display(), when=issue.send_at)
        for issue in waiting[:LIMIT]
    ]
    return [Queue("newsletters", "Newsletter issues to send", entries, "None waiting.")]


def _profile_changes(user, now: datetime) -> list[Queue]:
    """Contributors' changes to their own author profiles, for the editors: one query."""
    if not roles.can_edit_profiles(user):
        return []
    waiting = (
        ProfileChange.objects.filter(state=ProfileChange.State.PENDING)
        .exclude(proposed_by=user)
        .select_related("author", "proposed_by")
        .order_by("proposed_at", "pk")
    )
    entries = [
        Entry(None, profile_change=change, note=waited(change.proposed_at, now))
        for change in waiting[:LIMIT]
    ]
    return [Queue("profiles", "Profile changes to approve", entries, "None waiting.")]


def _new_reports():
    return ContactMessage.objects.filter(status=ContactMessage.Status.NEW)


def _reader_reports(user) -> list[Queue]:
    """Readers' messages, tips and error reports no editor has handled yet, newest first,
    for those who may handle them (never contributors: a tip may carry its sender's
    address): one query."""
    if not user.has_perm("contact.view_contactmessage"):
        return []
    reports = _new_reports().select_related("story").order_by("-created_at", "-pk")
    entries = [
        Entry(report.story, report=report, note=report.get_kind_display(), when=report.created_at)
        for report in reports[:LIMIT]
    ]
    return [Queue("reports", "Reader reports", entries, "No new messages from readers.")]


def publisher_queues(user, now: datetime) -> list[Queue]:
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = Article.objects.live(now).filter(publish_at__gte=start_of_day).order_by("-publish_at")
    return [
        _approved("Approved and ready"),
        _timeline(now),
        Queue("today", "Published today", [Entry(a, when=a.publish_at) for a in today[:LIMIT]]),
        _expiring_pictures(now),
    ]


def everyone_queues(user, now: datetime) -> list[Queue]:
    edits = Article.objects.filter(last_edited_by=user).order_by("-modified_at")
    notes = Notification.objects.filter(recipient=user).select_related(
        "article", "page", "actor", "profile_change__author"
    )
    return [
        Queue("edits", "My recent edits", [Entry(a, when=a.modified_at) for a in edits[:10]]),
        Queue("notifications", "Notifications", list(notes[:10])),
    ]


HOMES = {"contributor": contributor_queues, "editor": editor_queues, "publisher": publisher_queues}


def home(user, now: datetime | None = None) -> list[Queue]:
    """The queues of a person's desk home, their role's first."""
    now = now or timezone.now()
    role = HOMES[role_of(user)](user, now)
    role = role + _reader_reports(user) + _newsletter_issues(user) + _profile_changes(user, now)
    return role + everyone_queues(user, now)


def counts(user) -> list[tuple[str, str, int]]:
    """(queue key, label, count) for the navigation, stories and pages together, in two
    queries (three with notifications, four with reader reports for editors)."""
    role = role_of(user)
    if role == "contributor":
        wanted = {
            "assigned": ("Assigned to me", Status.PLANNED),
            "returned": ("Returned to me", Status.RETURNED),
            "drafts": ("My drafts", Status.DRAFT),
        }
        stories_mine, pages_mine = _mine_q(user), Q(created_by=user)
    else:
        wanted = (
            {
                "review": ("Awaiting review", Status.SUBMITTED),
                "approved": ("Approved", Status.APPROVED),
            }
            if role == "editor"
            else {"approved": ("Approved and ready", Status.APPROVED)}
        )
        stories_mine = pages_mine = Q()
    totals = {}
    for model, mine in ((Article, stories_mine), (Page, pages_mine)):
        # Only the rows counted: the status index finds them (no scan of every story).
        statuses = [status for _, status in wanted.values()]
        found = model.objects.filter(mine, status__in=statuses).aggregate(
            **{key: Count("pk", filter=Q(status=status)) for key, (_, status) in wanted.items()}
        )
        for key, count in found.items():
            totals[key] = totals.get(key, 0) + count
    unread = Notification.objects.unread().filter(recipient=user).count()
    reports = (
        [("reports", "Reader reports", _new_reports().count())]
        if user.has_perm("contact.view_contactmessage")
        else []
    )
    return (
        [(key, label, totals[key]) for key, (label, _) in wanted.items()]
        + reports
        + [("notifications", "Notifications", unread)]
    )
