"""A story's history in newsroom words: every save (with what it changed) and every workflow
step, newest first, each saying who, when and what happened."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Status, Transition

from .revisions import LABELS, WORKFLOW_FIELDS, Names, changed_keys, story_at

# What the services and the admin write as a revision's comment when nothing more is said.
_PLAIN_SAVES = {"", "Changed", "No fields changed.", "Initial version.", "Created", "Added."}
# "Published the pending changes #14: headline, body; kept from the live story: dek."
_PENDING = re.compile(r"^(Published|Discarded) the pending changes #(\d+)(?:[:;.]? ?(.*))?$")
_RESTORED = re.compile(r"^Restored the revision of (.+)$")


@dataclass
class Entry:
    """One line of a story's history."""

    when: datetime
    who: str
    what: str
    note: str = ""
    version: Version | None = None  # saves can be compared and restored; steps cannot
    live: bool = False
    changed: list[str] = field(default_factory=list)


def full_name(user) -> str:
    """A person as the newsroom names them."""
    if user is None:
        return "The system"
    return user.get_full_name() or user.get_username()


def plain_save(comment: str) -> bool:
    """Whether a revision's comment says no more than "saved" (the admin's field list
    included: History lists the fields itself, by the names staff know)."""
    return comment in _PLAIN_SAVES or comment.startswith(("Changed ", "Added "))


def timeline(story: Article) -> list[Entry]:
    """Every save and workflow step of `story`, newest first."""
    versions = list(
        Version.objects.get_for_object(story)
        .select_related("revision__user", "revision__live_mark")
        .prefetch_related("revision__version_set__content_type")
        .order_by("pk")
    )
    names = Names()
    states = [story_at(version, names) for version in versions]
    entries = []
    for n, version in enumerate(versions):
        changed = [] if n == 0 else changed_keys(states[n - 1], states[n])
        entries.append(_save_entry(version, n == 0, changed))
    comments = {version.revision.comment for version in versions}
    for step in story.transitions.select_related("user"):
        entry = _step_entry(step)
        if entry is not None and not (
            step.from_status == step.to_status and step.comment in comments
        ):
            entries.append(entry)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def _save_entry(version: Version, first: bool, changed: list[str]) -> Entry:
    revision = version.revision
    comment = revision.comment.strip()
    shown = [LABELS[key].lower() for key in changed if key not in WORKFLOW_FIELDS]
    entry = Entry(
        when=revision.date_created,
        who=full_name(revision.user),
        what="",
        version=version,
        live=hasattr(revision, "live_mark"),
        changed=shown,
    )
    what_changed = f"{', '.join(shown)} changed" if shown else "nothing changed"
    pending = _PENDING.match(comment)
    restored = _RESTORED.match(comment)
    if first and plain_save(comment):
        entry.what = "Created"
    elif pending:
        entry.what = f"Pending changes by {_pending_author(int(pending[2]))} published"
        entry.note = what_changed
    elif restored:
        entry.what = f"Restored the version of {restored[1]}"
        entry.note = what_changed
    elif plain_save(comment):
        entry.what = f"Saved: {what_changed}"
    else:  # a service's own words (an import, pending changes started, a note typed)
        entry.what = comment if first else f"{comment} — {what_changed}"
    return entry


def _pending_author(pk: int) -> str:
    """Who wrote pending changes, from their first revision (the copy itself is gone)."""
    first = (
        Version.objects.get_for_object_reference(Article, pk)
        .select_related("revision__user")
        .order_by("pk")
        .first()
    )
    return full_name(first.revision.user) if first else "someone"


# A step in words, by where it took the story.
_STEP_WORDS = {
    Status.SUBMITTED: "Submitted for edit",
    Status.RETURNED: "Returned to the writer",
    Status.APPROVED: "Approved",
    Status.PUBLISHED: "Published",
    Status.UNPUBLISHED: "Unpublished",
    Status.ARCHIVED: "Archived",
    Status.DRAFT: "Back to draft",
}
_AUTOMATIC = re.compile(r"^(Published|Scheduled) for (.+)$")


def describe_step(step: Transition) -> tuple[str, str]:
    """A workflow step as (what happened, the comment that goes with it)."""
    comment = step.comment.strip()
    if step.from_status == step.to_status:
        pending = _PENDING.match(comment)
        if pending:
            verb = pending[1].lower()
            merged = (pending[3] or "").rstrip(".")
            return f"Pending changes by {_pending_author(int(pending[2]))} {verb}", merged
        return comment or "Noted", ""
    what = _STEP_WORDS.get(step.to_status, step.get_to_status_display())
    if step.from_status == Status.UNPUBLISHED and step.to_status == Status.PUBLISHED:
        what = "Published again"
    if step.from_status == Status.ARCHIVED:
        what = "Restored from the archive"
    automatic = _AUTOMATIC.match(comment)
    if automatic:
        if automatic[1] == "Scheduled":
            return f"Scheduled for {automatic[2]} ({timezone.get_current_timezone_name()})", ""
        return what, ""
    if not comment or comment in (what, "Published again", "Restored from archive"):
        return what, ""
    if comment.startswith(what):  # "Published again with its original date, 5 December…"
        return what, comment.removeprefix(what).strip(" ,.")
    return what, f"“{comment}”"


def step_in_words(step: Transition) -> str:
    """A workflow step in one line: "Returned to the writer: “Add the vote count.”"."""
    what, note = describe_step(step)
    return f"{what}: {note}" if note else what


def _step_entry(step: Transition) -> Entry | None:
    what, note = describe_step(step)
    return Entry(when=step.created_at, who=full_name(step.user), what=what, note=note)
