"""Author profiles: a contributor proposes changes to their own profile, an editor approves
(applied at once, readers see them) or rejects them with a comment. Editors and publishers
edit profiles directly, in the desk's author form."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from caching import invalidation
from caching.keys import keys_of
from desk import notifications
from desk.models import Verb
from media.models import Image

from .. import roles
from ..models import Author, ProfileChange
from .writing import WorkflowError, _person, _service

# What a contributor may change on their own profile (not its address or its account).
PROFILE_FIELDS = (
    "name", "job_title", "bio", "photo", "expertise", "languages", "x_url", "bluesky_url",
    "mastodon_url", "linkedin_url", "website", "email", "contact_email",
)  # fmt: skip


def profile_values(author: Author) -> dict:
    """The profile's fields as stored in a proposal (the photo as its id)."""
    return {name: Author._meta.get_field(name).value_from_object(author) for name in PROFILE_FIELDS}


def with_proposal(author: Author, values: dict) -> Author:
    """`author` with proposed `values` set, in memory only (what the form shows its writer)."""
    for name, value in values.items():
        setattr(author, Author._meta.get_field(name).attname, value)
    return author


def pending_change(author: Author) -> ProfileChange | None:
    return author.changes.filter(state=ProfileChange.State.PENDING).first()


@_service
def propose_profile_change(*, author: Author, user, values: dict) -> ProfileChange | None:
    """Hold a contributor's changes to their own profile for an editor to approve; readers
    keep the approved profile. A later proposal replaces one still waiting; proposing the
    profile as it stands withdraws it (None)."""
    if not roles.can_propose_profile_change(user, author):
        raise PermissionDenied("You may change only your own author profile.")
    current = profile_values(Author.objects.select_for_update().get(pk=author.pk))
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise PermissionDenied(f"Not part of a profile: {', '.join(sorted(unknown))}.")
    changed = {name: value for name, value in values.items() if value != current[name]}
    waiting = (
        ProfileChange.objects.select_for_update()
        .filter(author=author, state=ProfileChange.State.PENDING)
        .first()
    )
    if not changed:
        if waiting is not None:
            waiting.delete()
        return None
    change = waiting or ProfileChange(author=author)
    change.before = {name: current[name] for name in changed}
    change.after = changed
    change.proposed_by = _person(user)
    change.save()
    if waiting is not None:  # the editors review what is proposed now
        ProfileChange.objects.filter(pk=change.pk).update(proposed_at=timezone.now())
    else:
        notifications.notify_profile_change(
            change=change, verb=Verb.PROFILE_PROPOSED, actor=_person(user)
        )
    return change


def _locked_pending(change: ProfileChange, user) -> ProfileChange:
    if not roles.can_decide_profile_change(user, change):
        raise PermissionDenied("Only an editor may decide on a profile change, and not their own.")
    change = ProfileChange.objects.select_for_update().select_related("author").get(pk=change.pk)
    if change.state != ProfileChange.State.PENDING:
        raise WorkflowError(f"This change was {change.get_state_display()} already.")
    return change


@_service
def approve_profile_change(*, change: ProfileChange, user) -> Author:
    """Apply the proposed fields to the profile (readers see them) and tell the proposer."""
    change = _locked_pending(change, user)
    photo = change.after.get("photo")
    if photo is not None and not Image.objects.filter(pk=photo).exists():
        raise WorkflowError("The proposed photo is no longer in the library.")
    author = with_proposal(Author.objects.select_for_update().get(pk=change.author_id),
                           change.after)  # fmt: skip
    with invalidation.announced_by_service():
        author.save()
        invalidation.announce(invalidation.SOFT, keys=keys_of(author))
    _decided(change, user, ProfileChange.State.APPROVED)
    notifications.notify_profile_change(
        change=change, verb=Verb.PROFILE_APPROVED, actor=_person(user)
    )
    return author


@_service
def reject_profile_change(*, change: ProfileChange, user, comment: str) -> ProfileChange:
    """Turn a proposed change down, saying why; the profile stays as it is."""
    comment = comment.strip()
    if not comment:
        raise WorkflowError("Say why, for the author: a rejection needs a comment.")
    change = _locked_pending(change, user)
    change.comment = comment
    _decided(change, user, ProfileChange.State.REJECTED)
    notifications.notify_profile_change(
        change=change, verb=Verb.PROFILE_REJECTED, actor=_person(user), comment=comment
    )
    return change


def _decided(change: ProfileChange, user, state: str) -> None:
    change.state, change.decided_by, change.decided_at = state, _person(user), timezone.now()
    change.save(update_fields=["state", "decided_by", "decided_at", "comment"])
