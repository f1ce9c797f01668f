"""Saying what a write means for readers, and dropping what it changed.

The services say it (`announce`): nothing, soft or hard (docs/visibility.md), and which keys
(caching.keys) name what changed. When the transaction commits, the entries filed under those
keys are dropped from our cache (hard) or kept as stale copies while they are rendered anew
(soft), and the CDN is purged by the same keys (caching.cdn). Nothing else is touched: an
edit to one story leaves every page that does not show it cached.

Signals are used for one thing only, the safety net: a write that bypasses the services (a
shell, a data migration, an admin page of authors or pictures) is announced with the keys of
the instance it saw, and the kind its model declares (`reader_change_on_save`).
"""

import threading
from contextlib import contextmanager
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import cdn
from .keys import OVERFLOW, SITE, keys_of
from .store import store

# What a change means for readers, as docs/visibility.md defines the three kinds.
NOTHING, SOFT, HARD = "nothing", "soft", "hard"
_RANK = {NOTHING: 0, SOFT: 1, HARD: 2}

_services = threading.local()


def announce(kind: str, *, keys=None) -> None:
    """Say what a write means for readers. A *hard* change takes something away (a story
    unpublished, archived, rescheduled, deleted; a picture whose rights may have ended): no
    page that showed it is served again. A *soft* one (an edit, a new story) lets readers get
    the previous page for the moment a new one takes to render. `keys` name what changed;
    none means the whole site.

    Inside a service call the strongest kind announced is kept, with every key, and
    announced once when the outermost call ends; caches hear of it when it commits."""
    if kind == NOTHING:
        return
    named = set(keys or ()) or {SITE}
    batch = getattr(_services, "batch", None)
    if batch is not None:
        if _RANK[kind] > _RANK[batch[0]]:
            batch[0] = kind
        batch[1] |= named
        return
    transaction.on_commit(partial(changed, keys=frozenset(named), hard=kind == HARD))


def changed(*, keys, hard: bool) -> None:
    """After the commit: our own cache first, so that what the CDN fetches once purged is
    rendered anew; then the CDN."""
    keys = set(keys)
    if SITE not in keys:
        keys.add(OVERFLOW)  # the pages too full to name what they show
    store().invalidate(keys, hard=hard)
    cdn.purge(keys, hard=hard)


@contextmanager
def announced_by_service():
    """One service call: the writes in it are announced once, by the service, not by the
    safety net below."""
    outermost = getattr(_services, "batch", None) is None
    if outermost:
        _services.batch = [NOTHING, set()]
    try:
        yield
        if outermost:
            (kind, keys), _services.batch = _services.batch, None
            announce(kind, keys=keys)
    finally:
        if outermost:
            _services.batch = None


def content_changed(sender=None, instance=None, signal=None, **kwargs) -> None:
    """The safety net for writes outside the services: the instance's own keys, and the kind
    its model declares (a deletion is always hard)."""
    if getattr(_services, "batch", None) is not None:
        return
    kind = getattr(sender, "reader_change_on_save", HARD) if signal is post_save else HARD
    announce(kind, keys=keys_of(instance))


_watched: list = []


def watch(model) -> None:
    """Treat a model of another package (taggit's Tag) as content readers see: any write to
    it is a hard change to the pages that show the instance."""
    if model not in _watched:
        _watched.append(model)


def content_models() -> list:
    """The models readers see: every model that declares `reader_change_on_save` "hard" or
    "soft", and those of other packages watched with `watch()`."""
    from django.apps import apps

    declared = [
        model
        for model in apps.get_models()
        if getattr(model, "reader_change_on_save", NOTHING) in (HARD, SOFT)
    ]
    return declared + [model for model in _watched if model not in declared]


def connect_safety_net() -> None:
    """Announce any save or delete of a model readers see that no service announced."""
    for model in content_models():
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-del-{label}")
