"""The desk's private memory: each person's autosaved working copy, and who has a story open.

A working copy is one small upsert per autosave: it never touches the story, makes no
revision and leaves the page cache alone, so saving every few seconds costs nearly nothing.
Every read filters by the person asking; nobody else's copy is ever returned.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from articles.models import Article, EditingPresence, WorkingCopy

# Form fields that are not the story: the CSRF token and the submit buttons.
NOT_CONTENT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew"}
# A page that sent no heartbeat for this long is taken to be closed.
PRESENCE_TIMEOUT = timedelta(seconds=60)


def form_data(post) -> dict[str, list[str]]:
    """A submitted form as a JSON-ready dict of lists, without token and buttons."""
    return {name: values for name, values in post.lists() if name not in NOT_CONTENT}


def save_working_copy(
    *, user, article: Article | None, data: dict[str, list[str]], base_version: int | None
) -> WorkingCopy:
    """Store what this person has typed as their one rolling copy of the story (or of their
    new, unsaved story when `article` is None)."""
    copy, _ = WorkingCopy.objects.update_or_create(
        user=user, article=article, defaults={"data": data, "base_version": base_version}
    )
    return copy


def working_copy_for(*, user, article: Article | None) -> WorkingCopy | None:
    """This person's working copy of the story, if they have one; never anyone else's."""
    return WorkingCopy.objects.filter(user=user, article=article).first()


def discard_working_copy(*, user, article: Article | None) -> bool:
    """Throw away this person's working copy; True if there was one."""
    deleted, _ = WorkingCopy.objects.filter(user=user, article=article).delete()
    return bool(deleted)


# --- Presence ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Editing:
    """Someone else with the story open, as the notice names them."""

    name: str
    since: datetime

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "since": timezone.localtime(self.since).strftime("%H:%M")}


def heartbeat(*, user, article: Article) -> None:
    """This person's page has the story open now (sent every few seconds while it does)."""
    now = timezone.now()
    presence, created = EditingPresence.objects.get_or_create(
        user=user, article=article, defaults={"since": now, "last_seen": now}
    )
    if not created:
        # A page that went quiet is a new visit: "since" starts again.
        if presence.last_seen < now - PRESENCE_TIMEOUT:
            presence.since = now
        presence.last_seen = now
        presence.save(update_fields=["since", "last_seen"])


def leave(*, user, article: Article) -> None:
    """This person closed the story's page."""
    EditingPresence.objects.filter(user=user, article=article).delete()


def others_editing(*, user, article: Article) -> list[Editing]:
    """Everyone but this person whose page had the story open within the last minute."""
    recent = (
        EditingPresence.objects.filter(
            article=article, last_seen__gte=timezone.now() - PRESENCE_TIMEOUT
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("since")
    )
    return [Editing(p.user.get_full_name() or p.user.get_username(), p.since) for p in recent]
