"""The machinery of a write to a story: who acts, the one transaction and row lock per
service, and what the write announces to readers once it commits."""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from caching import invalidation

from ..changes import ReaderState, pages_changed, reader_impact
from ..models import (
    Article,
    SlugRedirect,
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
