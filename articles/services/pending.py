"""Pending changes to a live story: proposed, reviewed like a story, then merged into
the live story like any save (the publisher chooses where both changed a field)."""

from django.core.exceptions import PermissionDenied

from caching import invalidation
from desk import notifications
from desk.models import Verb, WorkingCopy

from .. import conflicts, roles
from ..changes import CONTENT_FIELDS, Relations
from ..models import (
    Article,
    Status,
    Transition,
)  # fmt: skip
from .saving import _relations_in, publishing_problems, save_article
from .writing import StaleStory, WorkflowError, _lock, _person, _service, _writing, unique_slug

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
