"""Editorial work on stories: saving, the workflow steps, restoring revisions, pending
changes, share links.

The services are the only writers of a story and its parts: the admin (its save, inlines and
workflow buttons), autosave, the WordPress import, the demo loader and the corpus generator
all call them. Each function is one transaction, checks permissions itself, and says once,
when it commits, what the change means for readers (`articles.changes.reader_impact`).
Commands act as `SYSTEM`, an explicit actor that may do anything and is logged as "system".
"""

import functools
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

import reversion
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.text import slugify
from reversion.models import Version

from caching import invalidation
from desk import notifications, working_copies
from desk.models import Verb
from media.body import adopt_alt_text, library_images_in
from newsletters import issues as newsletter_issues
from newsroom import richtext

from . import conflicts, roles
from .changes import CONTENT_FIELDS, ReaderState, Relations, pages_changed, reader_impact
from .models import (
    Article,
    Byline,
    Correction,
    LiveRevision,
    RelatedArticle,
    SlugRedirect,
    Status,
    TaggedArticle,
    Transition,
    WorkingCopy,
)  # fmt: skip


class SystemActor:
    """Who a management command acts as: allowed everything, recorded as "system"."""

    pk = id = None
    is_authenticated = is_active = is_staff = True
    username = "system"

    def has_perm(self, perm, obj=None) -> bool:
        return True

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def _person(user):
    """The user to record (None for the system actor)."""
    return None if isinstance(user, SystemActor) else user


# The stories a write in progress has locked: a save and the step taken with it lock the row
# once (select_for_update), and later reads inside the same write see it as it is now.
_held: ContextVar[set | None] = ContextVar("held_story_locks", default=None)


def _lock(pk: int) -> Article:
    """The story's row, locked until the transaction ends; locked once per write."""
    held = _held.get()
    if held is not None and pk in held:
        return Article.objects.get(pk=pk)
    row = Article.objects.select_for_update().get(pk=pk)
    if held is not None:
        held.add(pk)
    return row


def _service(func):
    """A service: one transaction, in which each story's row is locked at most once (a save
    and the step taken with it, publishing again, publishing pending changes)."""

    @functools.wraps(func)
    def one_write(*args, **kwargs):
        token = _held.set(set()) if _held.get() is None else None
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        finally:
            if token is not None:
                _held.reset(token)

    return one_write


class WorkflowError(ValidationError):
    """A workflow step that is not possible for this story as it stands."""


# --- Saving -----------------------------------------------------------------------------------


@contextmanager
def _writing(article: Article | None):
    """Write one story, then announce once what the write meant for readers.

    The state before is read from the database (the object in hand may already carry the
    form's changes); the state after from the object as written."""
    pk = article.pk if article is not None else None
    before = ReaderState.read(pk) if pk is not None else None
    with invalidation.announced_by_service():
        yield
        after = ReaderState.read(article.pk) if article.pk else None
        pk = pk or article.pk  # a deleted story has lost its pk; a new one has just got it
        # Our cache and the CDN drop the pages that show the story or draw a listing it
        # joined or left, and only those (articles.changes.pages_changed).
        invalidation.announce(reader_impact(before, after), keys=pages_changed(pk, before, after))


def unique_slug(headline: str, *, exclude_pk: int | None = None) -> str:
    """A slug made from the headline that no other story (or old story URL) uses."""
    base = (slugify(headline) or "story")[:200].strip("-")
    candidate, n = base, 2
    while (
        Article.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists()
        or SlugRedirect.objects.filter(old_slug=candidate).exclude(article_id=exclude_pk).exists()
    ):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class StaleStory(WorkflowError):
    """Someone saved the story after this person's form was made: nothing is written."""


def prepare_article(
    *, article: Article, user, mark_updated: bool = False, started_from: int | None = None
) -> Article:
    """Check and complete a story before it is written: the rules every save obeys.

    Locks the story's row (the one lock of a save), refuses the save if the story changed
    since `started_from` (the version the form was made from), sanitises rich text, fills the
    slug, stamps authorship and version, keeps an old URL redirecting when a published
    story's slug changes, and refuses what the user may not do.
    """
    is_new = article.pk is None
    if is_new:
        if not roles.can_create(user):
            raise PermissionDenied("You may not create stories.")
        article.created_by = article.created_by if isinstance(user, SystemActor) else user
    else:
        stored = _lock(article.pk)
        if started_from is not None and started_from != stored.version:
            who = stored.last_edited_by
            raise StaleStory(
                f"{who.get_full_name() or who.get_username() if who else 'Someone'} saved "
                "this story a moment ago. Nothing was saved: your text is still in the form; "
                "save again to see their changes beside yours."
            )
        if not roles.can_edit(user, stored):
            raise PermissionDenied("You may not edit this story in its current state.")
        article.version = stored.version + 1
        if article.slug != stored.slug and stored.first_published_at:
            if not roles.can_set_schedule(user):
                raise PermissionDenied("Only a publisher may change a published story's URL.")
            SlugRedirect.objects.filter(old_slug=article.slug).delete()
            SlugRedirect.objects.update_or_create(
                old_slug=stored.slug, defaults={"article_id": article.pk}
            )
    if not article.slug:
        article.slug = unique_slug(article.headline, exclude_pk=article.pk)
    if not is_new and article.status == Status.PLANNED and richtext.plain_text(article.body):
        article.status = Status.DRAFT  # the writer has started: the assignment is a draft now
        Transition.objects.create(
            article=article, user=_person(user), from_status=Status.PLANNED,
            to_status=Status.DRAFT, comment="Started writing",
        )  # fmt: skip
    adopt_alt_text(article.body)
    if mark_updated and article.first_published_at:
        article.updated_at = timezone.now()
    if not isinstance(user, SystemActor) or article.last_edited_by_id is None:
        article.last_edited_by = _person(user) or article.created_by
    return article


@_service
def save_article(
    *,
    article: Article,
    user,
    relations: Relations | None = None,
    mark_updated: bool = False,
    started_from: int | None = None,
    comment: str = "",
    created_at: datetime | None = None,
    working_copy_tab: str | None = None,
) -> Article:
    """Save a story and its relations as one revision: the one write path.

    `article` carries the new field values; `relations` the rows to replace (the desk's
    inlines, commands, imports, restore). `started_from` is the version the editor's form was
    made from: a save over a newer version is refused (StaleStory). `created_at` backdates
    a story whose life began elsewhere (an imported post keeps its WordPress date). The
    working copy of the tab that saved (`working_copy_tab`) is done with and is deleted."""
    with _writing(article), reversion.create_revision():
        is_new = article.pk is None
        known = set() if is_new else set(article.corrections.values_list("kind", "text"))
        prepare_article(
            article=article, user=user, mark_updated=mark_updated, started_from=started_from
        )
        article.save()
        if created_at is not None:  # auto_now_add ignores a value given on insert
            Article.objects.filter(pk=article.pk).update(created_at=created_at)
            article.created_at = created_at
        if relations is not None:
            relations.write(article)
            if _person(user) is not None:  # an import or command brings old corrections
                _notify_new_corrections(article=article, user=user, known=known)
        # Bulk-written relations send no signal: record the story again, and each of its
        # rows as it is now (a row the story's save already recorded, as it was before it
        # changed, is only replaced when named), so this revision can be restored whole.
        reversion.add_to_revision(article)
        for row in _rows_of(article):
            reversion.add_to_revision(row)
        reversion.set_user(_person(user))
        reversion.set_comment(comment or ("Created" if is_new else "Changed"))
        if article.pk and article.is_live():
            reversion.add_meta(LiveRevision)
        person = _person(user)
        if person is not None:
            working_copies.saved_working_copy(
                user=person, article=article, was_new=is_new, tab=working_copy_tab
            )
    return article


def _rows_of(article: Article) -> list:
    """The story's byline, tag, related-story and correction rows, read afresh (the story
    in hand may carry them prefetched from before the write)."""
    return [
        *Byline.objects.filter(article=article),
        *TaggedArticle.objects.filter(content_object=article),
        *RelatedArticle.objects.filter(article=article),
        *Correction.objects.filter(article=article),
    ]


def _notify_new_corrections(*, article: Article, user, known: set) -> None:
    """Tell the story's people of corrections it did not have (`known`: kind and text)."""
    for correction in article.corrections.all():
        if (correction.kind, correction.text) in known:
            continue
        notifications.notify(
            article=article, verb=Verb.CORRECTION, actor=_person(user), comment=correction.text
        )


@_service
def save_and_step(
    *,
    article: Article,
    user,
    step: str,
    comment: str = "",
    at: datetime | None = None,
    email: bool = False,
    **save,
) -> Article:
    """The desk's "Save and submit" (approve, publish, schedule…): the form's changes and the
    step in one transaction, or neither, announced to readers once. `email` as for publish."""
    with invalidation.announced_by_service():
        save_article(article=article, user=user, **save)
        return take_step(article=article, user=user, step=step, comment=comment, at=at, email=email)


@_service
def save_story(
    *,
    article: Article,
    user,
    relations: Relations | None = None,
    started_from: int | None = None,
    mark_updated: bool = False,
    as_pending: bool = False,
    step: str = "",
    comment: str = "",
    at: datetime | None = None,
    email: bool = False,
    working_copy_tab: str | None = None,
) -> Article:
    """The desk's save, whichever button was pressed: the form's story as it is (`article`,
    its fields set), with its inlines' rows. Saved as is, saved and stepped (`step`), or, for
    a live story, saved as pending changes that readers do not see. Returns the story the
    desk shows next (the pending changes, or the live story their publishing changed)."""
    if as_pending:
        return save_as_pending_changes(
            article=article, user=user, relations=relations, started_from=started_from
        )
    save = {"relations": relations, "started_from": started_from, "mark_updated": mark_updated,
            "working_copy_tab": working_copy_tab}  # fmt: skip
    if not step:
        return save_article(article=article, user=user, **save)
    return save_and_step(
        article=article, user=user, step=step, comment=comment, at=at, email=email, **save
    )


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


@_service
def submit(*, article: Article, user, comment: str = "") -> Article:
    """Send a draft to the editors."""
    return _transition(
        article=article, user=user, allowed=roles.can_submit, to_status=Status.SUBMITTED,
        comment=comment,
    )  # fmt: skip


@_service
def approve(*, article: Article, user, comment: str = "") -> Article:
    """An editor signs off a submitted story; a publisher can now publish it."""
    return _transition(
        article=article, user=user, allowed=roles.can_approve, to_status=Status.APPROVED,
        comment=comment,
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


def publishing_problems(article: Article) -> list[str]:
    """What stops this story from going on the site, in words an editor can act on."""
    problems = []
    if not article.headline.strip():
        problems.append("It needs a headline.")
    if not richtext.plain_text(article.body):
        problems.append("It needs a body.")
    if not article.bylines.exists():
        problems.append("It needs at least one author in the byline.")
    pictures = [("Lead image", article.lead_image), ("Social image", article.social_image)]
    pictures += [("Body image", image) for image in library_images_in(article.body).values()]
    for label, image in pictures:
        for problem in image.problems_for_publishing() if image else []:
            problems.append(f"{label} “{image}” (#{image.pk}) {problem}.")
    return problems


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
def unpublish(*, article: Article, user, comment: str = "") -> Article:
    """Take a published (or scheduled) story off the site."""
    return _transition(
        article=article, user=user, allowed=roles.can_unpublish, to_status=Status.UNPUBLISHED,
        comment=comment,
    )  # fmt: skip


@_service
def archive(*, article: Article, user, comment: str = "") -> Article:
    """Put a story away for good; it leaves the site if it was on it."""
    return _transition(
        article=article, user=user, allowed=roles.can_archive, to_status=Status.ARCHIVED,
        comment=comment,
    )  # fmt: skip


@_service
def restore_from_archive(*, article: Article, user, comment: str = "") -> Article:
    """Undo an archive: the story comes back as a draft, to be worked on and published again."""
    return _transition(
        article=article, user=user, allowed=roles.can_restore_from_archive,
        to_status=Status.DRAFT, comment=comment or "Restored from archive",
    )  # fmt: skip


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


@_service
def delete_article(*, article: Article, user) -> None:
    """Delete a story for good (a publisher's call); it leaves every page at once."""
    if not roles.can_delete(user, article):
        raise PermissionDenied("You may not delete stories.")
    with _writing(article):
        article.delete()


@_service
def add_tag(*, article: Article, user, name: str) -> Article:
    """Tag a story (the desk's bulk action), as a revision like any other edit."""
    from taggit.models import Tag

    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError("Give the tag a name.")
    current = _lock(article.pk)
    tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
    tags = list(current.tags.values_list("pk", flat=True))
    if tag.pk in tags:
        return current
    return save_article(
        article=current, user=user, relations=Relations(tags=[*tags, tag.pk]),
        comment=f"Tagged “{tag.name}”",
    )  # fmt: skip


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
    from .models import Author, Byline  # only the planner needs them; keeps the imports stable

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


# --- Revisions --------------------------------------------------------------------------------


@_service
def restore_revision(*, article: Article, version: Version, user) -> Article:
    """Bring back a revision's text, byline, tags and related stories, as a new revision.

    Workflow state (status, times, slug) stays as it is now: restoring yesterday's text must
    not unpublish, republish or move a story."""
    current = _lock(article.pk)
    if not roles.can_edit(user, current):
        raise PermissionDenied("You may not edit this story in its current state.")
    if version.object_id != str(current.pk) or version.content_type.model_class() is not Article:
        raise WorkflowError("That revision belongs to another story.")
    old = version._object_version.object
    for name in CONTENT_FIELDS:
        setattr(current, name, getattr(old, name))
    when = timezone.localtime(version.revision.date_created)
    return save_article(
        article=current,
        user=user,
        relations=_relations_in(version),
        comment=f"Restored the revision of {when:%Y-%m-%d %H:%M}",
    )


def _relations_in(version: Version) -> Relations:
    """The byline, tags and related stories a revision recorded beside the story."""
    rows = {"bylines": [], "tags": [], "related": []}
    for related in version.revision.version_set.exclude(pk=version.pk):
        obj = related._object_version.object
        name = type(obj).__name__
        if name == "Byline":
            rows["bylines"].append(
                {"author_id": obj.author_id, "role": obj.role, "order": obj.order}
            )
        elif name == "TaggedArticle":
            rows["tags"].append(obj.tag_id)
        elif name == "RelatedArticle":
            rows["related"].append({"related_id": obj.related_id, "order": obj.order})
    return Relations(**rows)


# --- Pending changes to a live story -----------------------------------------------------------


def _pending_copy(*, live: Article, user) -> Article:
    """A new, never-live copy of a story that will hold changes to it."""
    if live.pending_for_id:
        raise WorkflowError("These are pending changes already.")
    existing = live.pending_changes.first()
    if existing is not None:
        raise WorkflowError(
            f"There are pending changes to this story already (#{existing.pk}): "
            "open them, or discard them first."
        )
    copy = Article(
        **{name: getattr(live, name) for name in CONTENT_FIELDS},
        pending_for=live,
        pending_base_version=live.version,
        status=Status.DRAFT,
        slug=unique_slug(f"{live.slug} pending changes"),
        created_by=_person(user),
    )
    return copy


@_service
def propose_changes(*, article: Article, user) -> Article:
    """Start pending changes to a live story: a copy readers never see, edited and reviewed
    like any story, that replaces the live text only when a publisher publishes it. The only
    way a contributor changes their own published story."""
    live = _lock(article.pk)
    if not roles.can_propose_changes(user, live):
        raise PermissionDenied("You may not propose changes to this story.")
    copy = _pending_copy(live=live, user=user)
    return save_article(
        article=copy, user=user, relations=Relations.of(live),
        comment=f"Pending changes to “{live.headline}” started",
    )  # fmt: skip


@_service
def save_as_pending_changes(
    *, article: Article, user, relations: Relations, started_from: int | None = None
) -> Article:
    """An editor's form on a live story saved as pending changes instead: `article` carries
    the form's values in memory; the live story in the database is left as readers see it."""
    live = _lock(article.pk)
    if not (roles.can_edit(user, live) and roles.can_propose_changes(user, live)):
        raise PermissionDenied("You may not change this story.")
    if started_from is not None and started_from != live.version:
        raise StaleStory(
            "The live story was saved a moment ago. Nothing was saved: your text is still "
            "in the form; save again to see their changes beside yours."
        )
    copy = _pending_copy(live=live, user=user)
    for name in CONTENT_FIELDS:
        setattr(copy, name, getattr(article, name))
    saved = save_article(
        article=copy, user=user, relations=relations,
        comment=f"Pending changes to “{live.headline}”",
    )  # fmt: skip
    article.refresh_from_db()  # the form's values stay only in the copy
    person = _person(user)
    if person is not None:  # what the person typed is saved, in the copy
        WorkingCopy.objects.filter(user=person, article=live).delete()
    return saved


class PendingChangesConflict(WorkflowError):
    """The live story changed since pending changes were made from it, in a field the
    changes change too: the publisher must choose, field by field, what readers will see."""


def pending_merge(*, changes: Article) -> conflicts.PendingMerge:
    """What publishing these pending changes would do to the live story as it is now."""
    live = Article.objects.select_related("last_edited_by").get(pk=changes.pending_for_id)
    base = None
    if changes.pending_base_version not in (None, live.version):
        version = conflicts.revision_at(live.pk, changes.pending_base_version)
        base = _relations_in(version) if version is not None else None
    return conflicts.pending_merge(changes=changes, live=live, base_relations=base)


@_service
def publish_pending_changes(
    *,
    changes: Article,
    user,
    comment: str = "",
    choices: dict[str, str] | None = None,
    live_version: int | None = None,
) -> Article:
    """Publish pending changes into the live story, as a new revision of it, and drop the copy.

    Merged like any save against the live version they were made from: a field only they
    changed is theirs, a field only the live story changed since stays, and where both did,
    `choices` says which side readers get ({"dek": "live" | "pending"}); without a choice the
    step is refused (PendingChangesConflict). `live_version` is the live story's version the
    publisher saw: if it changed again since, the step is refused so they look again."""
    changes = _lock(changes.pk)
    if changes.pending_for_id is None:
        raise WorkflowError("This story holds no pending changes.")
    if not roles.can_publish_pending(user, changes):
        raise PermissionDenied("Only a publisher may publish pending changes.")
    problems = publishing_problems(changes)
    if problems:
        raise WorkflowError(problems)
    live = _lock(changes.pending_for_id)
    if live_version is not None and live_version != live.version:
        raise PendingChangesConflict(
            "The live story was saved again while you were choosing: look at it again."
        )
    merge = pending_merge(changes=changes)
    choices = choices or {}
    undecided = [f.label for f in merge.conflicts if choices.get(f.name) not in ("live", "pending")]
    if undecided:
        raise PendingChangesConflict(
            f"{merge.who} changed the live story since these changes were made, in "
            f"{', '.join(undecided)} too: choose what readers will see (“Publish changes…”)."
        )
    take = {f.name for f in merge.fields if (f.outcome or choices[f.name]) == conflicts.PENDING}
    relations, pending = Relations(), Relations.of(changes)
    for name in take:
        if hasattr(relations, name):
            setattr(relations, name, getattr(pending, name))
        else:
            setattr(live, name, getattr(changes, name))
    # Corrections are added to the live story too while changes are pending: keep every one
    # it has, and add those only the pending changes hold. Nothing published is dropped.
    kept = Relations.of(live).corrections
    known = {(c["kind"], c["text"]) for c in kept}
    relations.corrections = kept + [
        c for c in pending.corrections if (c["kind"], c["text"]) not in known
    ]
    note = comment or _merge_note(merge, take, changes=changes)
    Transition.objects.create(
        article=live, user=_person(user), from_status=live.status, to_status=live.status,
        comment=note,
    )  # fmt: skip
    with invalidation.announced_by_service():  # the copy was never on a page
        changes.delete()
    saved = save_article(article=live, user=user, relations=relations, comment=note)
    notifications.notify(article=saved, verb=Verb.PUBLISHED, actor=_person(user), comment=note)
    return saved


def _merge_note(merge: conflicts.PendingMerge, taken: set[str], *, changes: Article) -> str:
    """The history's line: which pending changes (History names their writer by the number),
    what they brought, and what the live story kept."""
    brought = [f.label.lower() for f in merge.fields if f.name in taken]
    kept = [f.label.lower() for f in merge.fields if f.name not in taken]
    note = f"Published the pending changes #{changes.pk}"
    note += f": {', '.join(brought)}" if brought else " (nothing new for readers)"
    if kept:
        note += f"; kept from the live story: {', '.join(kept)}"
    return note + "."


@_service
def discard_pending_changes(*, changes: Article, user) -> Article:
    """Throw the pending changes away; the live story stays as it is. Returns the live story."""
    changes = _lock(changes.pk)
    if changes.pending_for_id is None:
        raise WorkflowError("This story holds no pending changes.")
    if not roles.can_edit(user, changes):
        raise PermissionDenied("You may not discard these changes.")
    live = changes.pending_for
    Transition.objects.create(
        article=live, user=_person(user), from_status=live.status, to_status=live.status,
        comment=f"Discarded the pending changes #{changes.pk}",
    )  # fmt: skip
    with _writing(changes):
        changes.delete()
    return live


# --- Autosave: a person's private working copy, never the story ---------------------------------

# Autosave writes no story: it keeps one person's unsaved form (desk/working_copies.py).
# It is reached from here like every other write, so the desk has one place to look.
save_working_copy = working_copies.save_working_copy
discard_working_copy = working_copies.discard_working_copy


# --- Share links for reviewers without an account -----------------------------------------------

_SHARE_SALT = "articles.share-link"


def share_token(article: Article) -> str:
    """A signed token for a read-only preview; expires, and dies when links are revoked."""
    return signing.TimestampSigner(salt=_SHARE_SALT).sign_object(
        {"id": article.pk, "key": article.preview_key.hex}
    )


def article_for_share_token(token: str) -> Article | None:
    """The story a share token opens, or None when it is forged, expired or revoked."""
    try:
        data = signing.TimestampSigner(salt=_SHARE_SALT).unsign_object(
            token, max_age=settings.PREVIEW_LINK_MAX_AGE
        )
        article = Article.objects.get(pk=data["id"])
    except (signing.BadSignature, Article.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    return article if article.preview_key.hex == data.get("key") else None


@_service
def revoke_share_links(*, article: Article, user) -> None:
    """Invalidate every share link handed out for this story."""
    if not roles.can_edit(user, article):
        raise PermissionDenied("You may not manage this story's share links.")
    with invalidation.announced_by_service():  # readers see nothing of it: nothing announced
        article.preview_key = uuid.uuid4()
        article.save(update_fields=["preview_key"])
