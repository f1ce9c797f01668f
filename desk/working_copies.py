"""The desk's private memory: each person's autosaved working copies (one per browser tab), and
who has a story open.

A working copy is one small upsert per autosave: it never touches the story, makes no
revision and leaves the page cache alone, so saving every few seconds costs nearly nothing.
Every read filters by the person asking; nobody else's copy is ever returned.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from articles.models import Article

from .models import EditingPresence, WorkingCopy

# Form fields that are not the story: the CSRF token, the submit buttons and the tab's id.
NOT_CONTENT = {
    "csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew", "_desk_tab",
}  # fmt: skip
# A page that sent no heartbeat for this long is taken to be closed.
PRESENCE_TIMEOUT = timedelta(seconds=60)
# The page's own name for its tab: short, and only letters, digits and dashes.
TAB_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def tab_of(post) -> str:
    """The browser tab a request comes from (the page's `_desk_tab` field), or ""."""
    tab = post.get("_desk_tab", "")
    return tab if len(tab) <= 40 and set(tab) <= TAB_CHARACTERS else ""


def form_data(post) -> dict[str, list[str]]:
    """A submitted form as a JSON-ready dict of lists, without token, buttons and tab."""
    return {name: values for name, values in post.lists() if name not in NOT_CONTENT}


def _stories():
    """Copies of stories (and new stories): a page's copy has no story either."""
    return WorkingCopy.objects.filter(page__isnull=True)


def save_working_copy(
    *,
    user,
    article: Article | None,
    data: dict[str, list[str]],
    base_version: int | None,
    tab: str = "",
) -> WorkingCopy:
    """Store what this person has typed in one tab as that tab's rolling copy of the story
    (or of the new, unsaved story the tab holds when `article` is None)."""
    copy, _ = _stories().update_or_create(
        user=user, article=article, tab=tab, defaults={"data": data, "base_version": base_version}
    )
    return copy


def working_copies_for(*, user, article: Article | None) -> list[WorkingCopy]:
    """Every copy this person left of the story (one per tab), newest first; never anyone
    else's."""
    return list(_stories().filter(user=user, article=article).order_by("-saved_at"))


def working_copy_for(*, user, article: Article | None, pk: int | None = None):
    """One of this person's copies of the story (the newest, or the one numbered `pk`)."""
    copies = _stories().filter(user=user, article=article).order_by("-saved_at")
    if pk is not None:
        copies = copies.filter(pk=pk)
    return copies.first()


def adopt_working_copy(*, copy: WorkingCopy, tab: str) -> None:
    """The tab restoring a copy takes it over: its autosaves now update that copy."""
    if not tab or copy.tab == tab:
        return
    # The tab's own copy, if it had one, is kept (still offered) under a name of its own.
    for own in _stories().filter(user=copy.user, article=copy.article, tab=tab):
        own.tab = f"left-{own.pk}"
        own.save(update_fields=["tab"])
    copy.tab = tab
    copy.save(update_fields=["tab"])


def discard_working_copy(*, user, article: Article | None, pk: int | None = None) -> bool:
    """Throw away this person's copies of the story (or the one numbered `pk`); True if there
    was one."""
    copies = _stories().filter(user=user, article=article)
    if pk is not None:
        copies = copies.filter(pk=pk)
    deleted, _ = copies.delete()
    return bool(deleted)


def saved_working_copy(*, user, article: Article, was_new: bool, tab: str | None) -> None:
    """A save is in: the copy of the tab that saved it is done with. Without a tab (commands,
    imports), every copy of this person's of the story; other new stories' copies stay."""
    if tab is None:
        _stories().filter(user=user, article=article).delete()
    else:
        _stories().filter(user=user, article=None if was_new else article, tab=tab).delete()


def save_page_copy(*, user, page, data: dict[str, list[str]], base_version, tab: str = ""):
    """Store what this person has typed into a page's form in one tab, as for a story."""
    copy, _ = WorkingCopy.objects.update_or_create(
        user=user, page=page, tab=tab, defaults={"data": data, "base_version": base_version}
    )
    return copy


def page_copies_for(*, user, page) -> list[WorkingCopy]:
    """Every copy this person left of the page (one per tab), newest first; never anyone
    else's."""
    return list(WorkingCopy.objects.filter(user=user, page=page).order_by("-saved_at"))


def discard_page_copies(*, user, page, tab: str | None = None) -> int:
    """Throw away this person's copies of the page (only the tab's, given one)."""
    copies = WorkingCopy.objects.filter(user=user, page=page)
    if tab is not None:
        copies = copies.filter(tab=tab)
    return copies.delete()[0]


# --- Presence ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Editing:
    """Someone else with the story open, as the notice names them."""

    name: str
    since: datetime
    mine: bool = False  # the same person, in another tab

    @property
    def notice(self) -> str:
        since = timezone.localtime(self.since).strftime("%H:%M")
        if self.mine:
            return f"You have this story open in another tab (since {since})"
        return f"{self.name} is editing this story (since {since})"

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "since": timezone.localtime(self.since).strftime("%H:%M"),
            "notice": self.notice,
        }


def heartbeat(*, user, article: Article, tab: str = "") -> None:
    """This tab has the story open now (sent every few seconds while it does)."""
    now = timezone.now()
    presence, created = EditingPresence.objects.get_or_create(
        user=user, article=article, tab=tab, defaults={"since": now, "last_seen": now}
    )
    if not created:
        # A page that went quiet is a new visit: "since" starts again.
        if presence.last_seen < now - PRESENCE_TIMEOUT:
            presence.since = now
        presence.last_seen = now
        presence.save(update_fields=["since", "last_seen"])


def leave(*, user, article: Article, tab: str = "") -> None:
    """This tab closed the story's page."""
    EditingPresence.objects.filter(user=user, article=article, tab=tab).delete()


def others_editing(*, user, article: Article, tab: str | None = None) -> list[Editing]:
    """Every page but this tab that had the story open within the last minute: other people
    by name, this person's other tabs as "you". Without a tab, only other people."""
    recent = (
        EditingPresence.objects.filter(
            article=article, last_seen__gte=timezone.now() - PRESENCE_TIMEOUT
        )
        .select_related("user")
        .order_by("since")
    )
    if tab is None:
        recent = recent.exclude(user=user)
    else:
        recent = recent.exclude(user=user, tab=tab)
    editing, seen = [], set()
    for presence in recent:
        mine = presence.user_id == user.pk
        name = "" if mine else presence.user.get_full_name() or presence.user.get_username()
        if (mine, name) not in seen:  # one line per person, one for all of "your other tabs"
            seen.add((mine, name))
            editing.append(Editing(name, presence.since, mine=mine))
    return editing
