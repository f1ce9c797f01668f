"""The only writer of pages: saving, the workflow steps and restoring a revision.

The same roles and rules as stories (articles.roles: contributors draft and submit their
own, editors approve or return, publishers publish, schedule and unpublish), the same
one transaction per call, and the same announcement to the caches once it commits of what
the write means for readers (articles.changes.reader_impact): the page's own key, and the
`pages` listing (the sitemap, menus) when a page comes, goes or moves.
Commands (the WordPress importer, the demo loader) act as `SYSTEM`.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from articles import roles
from articles.changes import reader_impact
from articles.models import Status
from articles.services import SYSTEM, SystemActor, WorkflowError  # noqa: F401 - SYSTEM: callers'
from caching import invalidation
from desk import notifications, working_copies
from media.body import library_images_in
from newsroom import richtext

from .models import Page
from .sitemaps import PAGES  # the listing of live pages: a page that comes or goes changes it

# What a restore brings back; workflow state (status, times) and the address stay.
CONTENT_FIELDS = ["title", "body", "seo_title", "seo_description", "last_reviewed"]


class StalePage(WorkflowError):
    """Someone saved the page after this person's form was made: nothing is written."""


def _person(user):
    return None if isinstance(user, SystemActor) else user


def can_create(user) -> bool:
    return isinstance(user, SystemActor) or user.has_perm("pages.add_page")


def visible_in_desk(user, pages):
    """Pages a user may open in the desk: every page for editors; for contributors their own
    and those already public, as for stories."""
    if user.has_perm("articles.change_any_article"):
        return pages
    return pages.filter(created_by=user) | pages.filter(pk__in=Page.objects.live())


# --- What a write means for readers -----------------------------------------------------------


@dataclass(frozen=True)
class ReaderState:
    """What readers can see of one page at one moment (the fields reader_impact reads)."""

    live: bool
    scheduled: bool
    publish_at: datetime | None
    unpublish_at: datetime | None
    path: str
    title: str

    @classmethod
    def read(cls, pk) -> "ReaderState | None":
        page = Page.objects.filter(pk=pk).first() if pk is not None else None
        if page is None:
            return None
        return cls(page.is_live(), page.is_scheduled, page.publish_at, page.unpublish_at,
                   page.path, page.title)  # fmt: skip

    @property
    def public(self) -> bool:
        return self.live or self.scheduled


def _keys(pk, before: ReaderState | None, after: ReaderState | None) -> set[str]:
    keys = {f"page-{pk}"}
    if (before and before.public) or (after and after.public):
        keys.add(PAGES)  # the sitemap and menus list live pages by address and title
    return keys


@contextmanager
def _writing(page: Page, *, also=()):
    """Write one page (and `also`, pages whose address moves with it), then announce once
    what the write meant for readers, when it commits."""
    before = {p.pk: ReaderState.read(p.pk) for p in [page, *also] if p.pk}
    with invalidation.announced_by_service():
        yield
        # A new page has just got its pk; a deleted one has lost it.
        for pk in {*before, *([page.pk] if page.pk else [])}:
            after = ReaderState.read(pk)
            invalidation.announce(
                reader_impact(before.get(pk), after), keys=_keys(pk, before.get(pk), after)
            )


def _lock(pk: int) -> Page:
    return Page.objects.select_for_update().get(pk=pk)


# --- Saving -----------------------------------------------------------------------------------


def _check(page: Page) -> None:
    """The rules every save obeys, whoever saves."""
    if not page.title.strip():
        raise ValidationError({"title": "A page needs a title."})
    if not page.slug:
        raise ValidationError({"slug": "A page needs a slug (the last part of its address)."})
    problem = page.address_problem()
    if problem:
        raise ValidationError({problem[0]: problem[1]})
    if page.publish_at and page.unpublish_at and page.unpublish_at <= page.publish_at:
        raise ValidationError(
            {"unpublish_at": "The unpublish time must come after the publish time."}
        )


def _unchanged(page: Page, stored: Page) -> bool:
    fields = [*CONTENT_FIELDS, "slug", "parent_id", "publish_at", "unpublish_at"]
    return all(getattr(page, name) == getattr(stored, name) for name in fields)


@transaction.atomic
def save_page(
    *, page: Page, user, comment: str = "", started_from: int | None = None, tab: str | None = None
) -> Page:
    """Save a page as one revision: the one write path for the desk, the importer, the demo.

    `page` carries the new field values. `started_from` is the version the editor's form was
    made from: a save over a newer version is refused (StalePage), and nothing is written.
    `tab` is the desk tab that saved: its working copy of the page is done with.
    A command that saves a page as it already is writes nothing (an import run twice)."""
    is_new = page.pk is None
    descendants = []
    if is_new:
        if not can_create(user):
            raise PermissionDenied("You may not create pages.")
        page.created_by = page.created_by if isinstance(user, SystemActor) else user
    else:
        stored = _lock(page.pk)
        if started_from is not None and started_from != stored.version:
            who = stored.last_edited_by
            name = (who.get_full_name() or who.get_username()) if who else "Someone"
            raise StalePage(
                f"{name} saved this page a moment ago. Nothing was saved: your text is "
                "still in the form; copy what you need, reload the page and add it again."
            )
        if not roles.can_edit(user, stored):
            raise PermissionDenied("You may not edit this page in its current state.")
        if isinstance(user, SystemActor) and _unchanged(page, stored):
            page.refresh_from_db()
            return page
        changing_schedule = (page.publish_at, page.unpublish_at) != (
            stored.publish_at, stored.unpublish_at,
        )  # fmt: skip
        if changing_schedule and not roles.can_set_schedule(user):
            raise PermissionDenied("Only a publisher may change when a page is on the site.")
        moved = (page.slug, page.parent_id) != (stored.slug, stored.parent_id)
        if moved and stored.first_published_at and not roles.can_set_schedule(user):
            raise PermissionDenied("Only a publisher may change a published page's address.")
        if moved:
            descendants = _descendants(page)
        page.version = stored.version + 1
    page.body = richtext.sanitize(page.body)
    _check(page)
    if not isinstance(user, SystemActor) or page.last_edited_by_id is None:
        page.last_edited_by = _person(user) or page.created_by
    with _writing(page, also=descendants), reversion.create_revision():
        page.save()
        for child in descendants:  # their addresses start with this page's
            child.refresh_from_db(fields=["parent"])
            path = child.address_path()
            if Page.objects.filter(path=path).exclude(pk=child.pk).exists():
                raise ValidationError(
                    {"slug": f"The page under it, “{child.title}”, would move to /{path}/, "
                             "where there is a page already: choose another slug."}
                )  # fmt: skip
            child.save(update_fields=["path"])
        reversion.add_to_revision(page)
        reversion.set_user(_person(user))
        reversion.set_comment(comment or ("Created" if is_new else "Changed"))
    if tab is not None and _person(user) is not None:
        working_copies.discard_page_copies(user=user, page=page, tab=tab)
    return page


def _descendants(page: Page) -> list[Page]:
    """The pages under `page`, parents before children."""
    found, level = [], list(Page.objects.filter(parent_id=page.pk))
    while level:
        found += level
        level = list(Page.objects.filter(parent__in=level))
    return found


# --- The workflow -----------------------------------------------------------------------------


def _step(*, page: Page, user, allowed, to_status: str, comment: str, **changes) -> Page:
    """Lock the page, check the step against its current state, apply it and record it as a
    revision (who, when, the step and the comment: the page's History), and tell the people
    concerned, as a story's steps do."""
    current = _lock(page.pk)
    if not (isinstance(user, SystemActor) or allowed(user, current)):
        raise PermissionDenied(
            f"You may not move this page from “{current.display_status}” "
            f"to “{Status(to_status).label}”."
        )
    with _writing(current), reversion.create_revision():
        current.status = to_status
        for name, value in changes.items():
            setattr(current, name, value)
        current.save(update_fields=["status", "modified_at", *changes])
        reversion.add_to_revision(current)
        reversion.set_user(_person(user))
        said = f"{Status(to_status).label}"
        if to_status == Status.PUBLISHED and current.is_scheduled:
            said = f"Scheduled for {timezone.localtime(current.publish_at):%Y-%m-%d %H:%M}"
        reversion.set_comment(f"{said}: {comment}" if comment else said)
    notifications.notify_page(
        page=current, to_status=to_status, actor=_person(user), comment=comment
    )
    page.refresh_from_db()
    return page


def _moving_to(status: str, allowed, doc: str, *, needs_comment: str = "") -> Callable:
    @transaction.atomic
    def step(*, page: Page, user, comment: str = "") -> Page:
        if needs_comment and not comment.strip():
            raise WorkflowError(needs_comment)
        return _step(page=page, user=user, allowed=allowed, to_status=status, comment=comment)

    step.__doc__ = doc
    return step


submit_page = _moving_to(Status.SUBMITTED, roles.can_submit, "Send a draft to the editors.")
approve_page = _moving_to(
    Status.APPROVED, roles.can_approve, "An editor signs off a page; a publisher may publish it."
)
return_page = _moving_to(
    Status.RETURNED, roles.can_return, "Send a page back to its writer, saying what to change.",
    needs_comment="Say what the writer should change when returning a page.",
)  # fmt: skip
unpublish_page = _moving_to(
    Status.UNPUBLISHED, roles.can_unpublish, "Take a published (or scheduled) page off the site."
)
archive_page = _moving_to(
    Status.ARCHIVED, roles.can_archive, "Put a page away; it leaves the site if it was on it."
)
restore_page = _moving_to(
    Status.DRAFT, roles.can_restore_from_archive,
    "Undo an archive: the page comes back as a draft.",
)  # fmt: skip


def publishing_problems(page: Page) -> list[str]:
    """What stops this page from going on the site, in words an editor can act on."""
    problems = []
    if not page.title.strip():
        problems.append("It needs a title.")
    if not richtext.plain_text(page.body):
        problems.append("It needs a body.")
    for image in library_images_in(page.body).values():
        for problem in image.problems_for_publishing():
            problems.append(f"Image “{image}” (#{image.pk}) {problem}.")
    return problems


@transaction.atomic
def publish_page(*, page: Page, user, at: datetime | None = None, comment: str = "") -> Page:
    """Publish now, or schedule for `at`: the page goes live by itself at that time.

    A person's schedule must be in the future; a command (`SYSTEM`) may give a past time (an
    imported page keeps its date), publish from any state and without a body, and publishing
    a page already published at that time changes nothing (an import run twice)."""
    now = timezone.now()
    system = isinstance(user, SystemActor)
    if at is not None and at <= now and not system:
        raise WorkflowError(
            "A schedule needs a time in the future; use “Publish now” to publish at once."
        )
    current = Page.objects.get(pk=page.pk)
    if system and current.status == Status.PUBLISHED and (at is None or at == current.publish_at):
        page.refresh_from_db()
        return page
    at = at or now
    problems = publishing_problems(current)
    if system:  # an imported page may only hold pages under it, with no text of its own
        problems = [p for p in problems if p != "It needs a body."]
    if problems:
        raise WorkflowError(problems)
    if current.unpublish_at and current.unpublish_at <= max(at, now):
        raise WorkflowError("The unpublish time must come after the publish time.")
    changes = {"publish_at": at}
    if current.first_published_at is None or at < current.first_published_at:
        changes["first_published_at"] = at
    return _step(
        page=page, user=user, allowed=roles.can_publish, to_status=Status.PUBLISHED,
        comment=comment, **changes,
    )  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One workflow step as the desk offers it: a button for each one allowed."""

    name: str
    label: str
    allowed: Callable  # roles.can_*(user, page)
    needs_comment: bool = False
    needs_time: bool = False


STEPS = {
    step.name: step
    for step in [
        Step("submit", "Submit for edit", roles.can_submit),
        Step("approve", "Approve", roles.can_approve),
        Step("return", "Return to writer", roles.can_return, needs_comment=True),
        Step("publish", "Publish now", roles.can_publish),
        Step("schedule", "Schedule", roles.can_publish, needs_time=True),
        Step("unpublish", "Unpublish", roles.can_unpublish),
        Step("archive", "Archive", roles.can_archive),
        Step("restore", "Restore from archive", roles.can_restore_from_archive),
    ]
}


def steps_for(user, page: Page) -> list[Step]:
    """The steps this person may take on this page now (the desk's buttons)."""
    return [step for step in STEPS.values() if step.allowed(user, page)]


@transaction.atomic
def take_step(*, page: Page, user, step: str, comment: str = "", at=None) -> Page:
    """One workflow step by name (the desk's buttons)."""
    if step == "publish":
        return publish_page(page=page, user=user, comment=comment)
    if step == "schedule":
        if at is None:
            raise WorkflowError("Give a date and time to schedule the page.")
        return publish_page(page=page, user=user, at=at, comment=comment)
    take = {
        "submit": submit_page, "approve": approve_page, "return": return_page,
        "unpublish": unpublish_page, "archive": archive_page, "restore": restore_page,
    }.get(step)  # fmt: skip
    if take is None:
        raise WorkflowError(f"No such workflow step: {step}.")
    return take(page=page, user=user, comment=comment)


@transaction.atomic
def delete_page(*, page: Page, user) -> None:
    """Delete a page for good (a publisher's call); pages under it must be moved first."""
    if not (isinstance(user, SystemActor) or user.has_perm("pages.delete_page")):
        raise PermissionDenied("Only a publisher may delete a page.")
    if page.children.exists():
        raise WorkflowError("Move or delete the pages under this page first.")
    with _writing(page):
        page.delete()


# --- Revisions --------------------------------------------------------------------------------


@transaction.atomic
def restore_revision(*, page: Page, user, version: Version) -> Page:
    """Bring back an earlier revision's text as a new revision; the page's status, times and
    address stay as they are (restoring yesterday's text must not unpublish or move it)."""
    if version.object_id != str(page.pk) or version.content_type.model_class() is not Page:
        raise WorkflowError("That revision is not one of this page's.")
    current = Page.objects.get(pk=page.pk)
    old = version._object_version.object
    for name in CONTENT_FIELDS:
        setattr(current, name, getattr(old, name))
    when = timezone.localtime(version.revision.date_created)
    return save_page(
        page=current, user=user, comment=f"Restored the revision of {when:%Y-%m-%d %H:%M}"
    )
