"""The workflow steps, each one service, and their one table (STEPS): the services take
them by name, the desk shows a button for each one allowed and offers them in bulk."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import dateformat, timezone

from desk import notifications
from newsletters import issues as newsletter_issues

from .. import roles
from ..models import (
    Article,
    Status,
    Transition,
)  # fmt: skip
from .pending import publish_pending_changes
from .saving import publishing_problems
from .writing import WorkflowError, _lock, _person, _service, _writing

# --- Workflow ---------------------------------------------------------------------------------


def _transition(*, article: Article, user, allowed, to_status: str, comment: str, **changes):
    """Lock the story, check the step against its current state, apply it and log it."""
    current = _lock(article.pk)
    if not allowed(user, current):
        raise PermissionDenied(
            f"You may not move this story from “{current.display_status}” "
            f"to “{Status(to_status).label}”."
        )
    with _writing(current):
        from_status = current.status
        current.status = to_status
        for name, value in changes.items():
            setattr(current, name, value)
        current.save(update_fields=["status", "modified_at", *changes])
        Transition.objects.create(
            article=current,
            user=_person(user),
            from_status=from_status,
            to_status=to_status,
            comment=comment,
        )
    verb = notifications.verb_for_step(current, to_status)
    if verb is not None:
        notifications.notify(article=current, verb=verb, actor=_person(user), comment=comment)
    article.refresh_from_db()
    return article


def _moving_to(status: str, allowed, doc: str, *, says: str = ""):
    """A step that only moves the story to `status` (who may: `allowed`), logged with the
    person's comment or `says`."""

    @_service
    def step(*, article: Article, user, comment: str = "") -> Article:
        return _transition(
            article=article, user=user, allowed=allowed, to_status=status,
            comment=comment or says,
        )  # fmt: skip

    step.__doc__ = doc
    return step


submit = _moving_to(Status.SUBMITTED, roles.can_submit, "Send a draft to the editors.")
approve = _moving_to(
    Status.APPROVED, roles.can_approve,
    "An editor signs off a submitted story; a publisher can now publish it.",
)  # fmt: skip
unpublish = _moving_to(
    Status.UNPUBLISHED, roles.can_unpublish, "Take a published (or scheduled) story off the site."
)
archive = _moving_to(
    Status.ARCHIVED,
    roles.can_archive,
    "Put a story away for good; it leaves the site if it was on it.",
)
restore_from_archive = _moving_to(
    Status.DRAFT, roles.can_restore_from_archive,
    "Undo an archive: the story comes back as a draft, to be worked on and published again.",
    says="Restored from archive",
)  # fmt: skip


@_service
def return_to_writer(*, article: Article, user, comment: str) -> Article:
    """Send a story back to its writer, saying what needs doing."""
    if not comment.strip():
        raise WorkflowError("Say what the writer should change when returning a story.")
    return _transition(
        article=article, user=user, allowed=roles.can_return, to_status=Status.RETURNED,
        comment=comment,
    )  # fmt: skip


@_service
def publish(
    *,
    article: Article,
    user,
    at: datetime | None = None,
    comment: str = "",
    email: bool = False,
) -> Article:
    """Publish now, or schedule for `at`: the story goes live by itself at that time.

    `email` is the publisher's choice, made explicitly: only with it does the story go out
    to the newsletters it feeds (now, or at its publish time). Commands, the importer and
    bulk steps leave it off, so they never mail readers by accident."""
    if article.pending_for_id:
        if at is not None:
            raise WorkflowError("Pending changes are published at once, not scheduled.")
        return publish_pending_changes(changes=article, user=user, comment=comment)
    now = timezone.now()
    if at is not None and at <= now:
        raise WorkflowError(
            "A schedule needs a time in the future; use “Publish now” to publish at once."
        )
    at = at or now
    verb = "Scheduled" if at > now else "Published"
    published = _go_live(
        article=article,
        user=user,
        at=at,
        comment=comment or f"{verb} for {timezone.localtime(at):%Y-%m-%d %H:%M}",
        publish_without_email=not email,
    )
    # Newsletters fed by the story get their issue now, or at its scheduled time; a failure
    # there is logged and never undoes the publication. Without email, nothing is made.
    if email:
        newsletter_issues.story_published(published)
    return published


def _go_live(*, article: Article, user, at: datetime, comment: str, **changes) -> Article:
    """Check a story can be published at `at`, and move it to published with that time."""
    problems = publishing_problems(article)
    if problems:
        raise WorkflowError(problems)
    if article.unpublish_at and article.unpublish_at <= max(at, timezone.now()):
        raise WorkflowError("The unpublish time must come after the publish time.")
    changes["publish_at"] = at
    if article.first_published_at is None or at < article.first_published_at:
        changes["first_published_at"] = at
    return _transition(
        article=article,
        user=user,
        allowed=roles.can_publish,
        to_status=Status.PUBLISHED,
        comment=comment,
        **changes,
    )


@_service
def publish_again(*, article: Article, user, comment: str = "") -> Article:
    """Undo an unpublish: the story goes back on the site at its old address with its
    original publish time, so it is not news again (not the home page's lead, not the top of
    the feeds). Sends no email: its readers were told, or not, when it was first published.
    A story unpublished before its scheduled time is scheduled again for that time, with the
    email choice made then."""
    current = _lock(article.pk)
    if not roles.can_publish_again(user, current):
        raise PermissionDenied("Only a publisher may publish an unpublished story again.")
    at = current.publish_at or current.first_published_at or timezone.now()
    again = _go_live(
        article=article,
        user=user,
        at=at,
        comment=comment or f"Published again with its original date, {original_date(at)}",
    )
    if again.is_scheduled and not again.publish_without_email:
        newsletter_issues.story_published(again)  # the worker looks again at its time
    return again


def original_date(at: datetime) -> str:
    """A publish time as the desk says it: "5 December 2026 14:00" (the site's time zone)."""
    return dateformat.format(timezone.localtime(at), "j F Y H:i")


def schedule(
    *, article: Article, user, at: datetime | None, comment: str = "", email: bool = False
) -> Article:
    """Publish at a time to come: the story goes live by itself then (`email` as publish)."""
    if at is None:
        raise WorkflowError("Give a date and time to schedule the story.")
    return publish(article=article, user=user, at=at, comment=comment, email=email)


@dataclass(frozen=True)
class Step:
    """One workflow step: the service that takes it, who may, and what the desk asks first.

    The one table of steps: the services take them by name, the story form shows a button
    for each one allowed, the story list offers each as a bulk action."""

    name: str
    label: str
    allowed: Callable  # roles.can_*(user, story)
    take: Callable  # the service
    permission: str  # what a role needs at least for the bulk action to be offered
    needs_comment: bool = False  # what should change (returning to the writer)
    needs_time: bool = False
    # Takes a story off the site or out of the way: the desk asks for the reason first.
    needs_reason: bool = False
    # Undoes an unpublish or archive on its own, without saving the form.
    undo: bool = False
    # Publishing may email the newsletters the story feeds: the publisher chooses.
    may_email: bool = False
    # Publishing pending changes: the desk first shows what they change and merges them.
    merge_page: bool = False

    @property
    def needs_words(self) -> bool:
        return self.needs_comment or self.needs_reason


_PUBLISHER = "articles.publish_article"
STEPS = {
    step.name: step
    for step in [
        Step("submit", "Submit for edit", roles.can_submit, submit, "articles.submit_article"),
        Step("approve", "Approve", roles.can_approve, approve, "articles.approve_article"),
        Step(
            "return", "Return to writer", roles.can_return, return_to_writer,
            "articles.approve_article", needs_comment=True,
        ),
        Step("publish", "Publish now", roles.can_publish, publish, _PUBLISHER, may_email=True),
        Step("schedule", "Schedule", roles.can_publish, schedule, _PUBLISHER, needs_time=True,
             may_email=True),
        Step("unpublish", "Unpublish", roles.can_unpublish, unpublish, _PUBLISHER,
             needs_reason=True),
        Step("archive", "Archive", roles.can_archive, archive, "articles.archive_article",
             needs_reason=True),
        Step("restore", "Restore from archive", roles.can_restore_from_archive,
             restore_from_archive, "articles.archive_article", undo=True),
        Step("republish", "Publish again", roles.can_publish_again, publish_again, _PUBLISHER,
             undo=True),
    ]
}  # fmt: skip
# Pending changes to a live story go through review like a story, then are published at once.
PENDING_STEPS = {
    **{name: STEPS[name] for name in ("submit", "approve", "return")},
    "publish": Step(
        "publish",
        "Publish changes",
        roles.can_publish_pending,
        publish,
        _PUBLISHER,
        merge_page=True,
    ),
}


def steps_for(user, article: Article) -> list[Step]:
    """The workflow steps this person may take on this story now (the desk's buttons)."""
    steps = PENDING_STEPS if article.pending_for_id else STEPS
    return [step for step in steps.values() if step.allowed(user, article)]


def take_step(
    *,
    article: Article,
    user,
    step: str,
    comment: str = "",
    at: datetime | None = None,
    email: bool = False,
) -> Article:
    """One workflow step by name; "schedule" needs `at`, returning and taking a story off
    the site need words (`comment`); `email` is the publisher's choice for "publish" and
    "schedule" (see publish)."""
    found = (PENDING_STEPS if article.pending_for_id else STEPS).get(step)
    if found is None:
        raise WorkflowError(f"No such workflow step: {step}.")
    if found.needs_words and not comment.strip():
        raise WorkflowError(
            "Say what the writer should change." if found.needs_comment else "Give a reason."
        )
    given = {"at": at} if found.needs_time else {}
    if found.may_email:
        given["email"] = email
    return found.take(article=article, user=user, comment=comment, **given)
