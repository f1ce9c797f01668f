"""The calendar's writes: moving a scheduled story or a due date, planning a story."""

from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from desk import notifications
from desk.models import Verb

from .. import roles
from ..models import (
    Article,
    Status,
)  # fmt: skip
from .writing import WorkflowError, _lock, _person, _service, _writing, unique_slug


def _calendar_revision(*, article: Article, user, fields: list[str], comment: str) -> Article:
    """Write a calendar move (already checked, row locked) as a revision of the story. The
    version is bumped so a form opened before the move cannot quietly put the old date back."""
    with _writing(article), reversion.create_revision():
        article.version += 1
        article.save(update_fields=[*fields, "version", "modified_at"])
        reversion.add_to_revision(article)
        reversion.set_user(_person(user))
        reversion.set_comment(comment)
    return article


def _on_calendar(when: datetime) -> str:
    return f"{timezone.localtime(when):%a %-d %b %Y, %H:%M}"


@_service
def reschedule(*, article: Article, user, publish_at: datetime) -> Article:
    """Move a scheduled story to another publish time (the calendar's drag): the same rights
    as scheduling it, and still in the future."""
    current = _lock(article.pk)
    if not roles.can_reschedule(user, current):
        raise PermissionDenied(
            "Only a publisher may move a scheduled story."
            if current.is_scheduled
            else "Only a scheduled story can be moved to another publish time."
        )
    if publish_at <= timezone.now():
        raise WorkflowError("A schedule needs a time in the future; use “Publish now” instead.")
    if current.unpublish_at and current.unpublish_at <= publish_at:
        raise WorkflowError("The unpublish time must come after the publish time.")
    fields = ["publish_at"]
    current.publish_at = publish_at
    # A story that has never been out yet first goes out at its new time.
    if current.first_published_at is None or current.first_published_at > timezone.now():
        current.first_published_at = publish_at
        fields.append("first_published_at")
    comment = f"Rescheduled for {_on_calendar(publish_at)}"
    _calendar_revision(article=current, user=user, fields=fields, comment=comment)
    notifications.notify(article=current, verb=Verb.SCHEDULED, actor=_person(user), comment=comment)
    article.refresh_from_db()
    return article


@_service
def set_due_date(*, article: Article, user, due_at: datetime) -> Article:
    """Move the date a story in progress is due (a planned story's, or a draft's): its writer
    or an editor."""
    current = _lock(article.pk)
    if not roles.can_set_due_date(user, current):
        raise PermissionDenied(
            "Only an editor or the story's writer may move its due date, and only before it "
            "is published."
        )
    current.due_at = due_at
    comment = f"Due date moved to {_on_calendar(due_at)}"
    _calendar_revision(article=current, user=user, fields=["due_at"], comment=comment)
    article.refresh_from_db()
    return article


@_service
def plan_story(
    *, user, headline: str, writer, section, due_at: datetime, note: str = ""
) -> Article:
    """An editor's assignment: a planned story with a working headline, owned by the writer
    (theirs to write, as a draft), due at `due_at`. Readers never see it."""
    from ..models import Author, Byline  # only the planner needs them

    if not roles.can_plan(user):
        raise PermissionDenied("Only an editor may plan stories for others.")
    if not (writer.is_active and writer.is_staff and roles.can_create(writer)):
        raise ValidationError("That person cannot write stories on the desk.")
    headline = " ".join(headline.split())
    if not headline:
        raise ValidationError("Give the story a working headline.")
    article = Article(
        headline=headline, slug=unique_slug(headline), section=section, due_at=due_at,
        assignment_note=note.strip(), status=Status.PLANNED, created_by=writer,
        last_edited_by=_person(user),
    )  # fmt: skip
    with _writing(article), reversion.create_revision():
        article.save()
        author = Author.objects.filter(user=writer).first()
        if author is not None:  # the writer's byline, so the story is theirs everywhere
            Byline.objects.create(article=article, author=author)
        reversion.add_to_revision(article)
        reversion.set_user(_person(user))
        reversion.set_comment(f"Planned for {writer.get_full_name() or writer.username}")
    return article
