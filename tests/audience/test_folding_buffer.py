"""Folding what waits in the buffer, on the database table and on a real Redis stream: each
event once, the buffer emptied behind the cursor, entries that are not events skipped."""

import pytest

from audience import buffer as buffering
from audience.events import ENGAGED, Event
from audience.folding import CURSOR, fold_pending
from audience.models import FoldCursor, PendingEvent
from tests import factories
from tests.audience.fold_kit import at, everything, figures, stream_key, use_redis, view

pytestmark = pytest.mark.django_db

PREFIX = "newsroom-fold-tests"


@pytest.fixture(params=["table", "redis"])
def pending(request, settings):
    """The buffer, empty: the database table (no Redis), or a real Redis stream."""
    client = use_redis(settings, PREFIX) if request.param == "redis" else None
    yield buffering.buffer()
    if client is not None:
        client.delete(stream_key(PREFIX))


def buffer_raw(store, raw: bytes) -> None:
    if isinstance(store, buffering.RedisBuffer):
        store.client.xadd(store.key, {"e": raw})
    else:
        PendingEvent.objects.create(data=raw)


def test_what_was_buffered_is_folded_once_and_forgotten(pending):
    story = factories.make_article(status="published")
    for n in range(25):
        pending.append(view("story", story.pk, visitor=f"v{n % 10}"))
        pending.append(Event(at=at(), kind=ENGAGED, target="story", target_id=story.pk,
                             seconds=10, ended=n % 5 == 0))  # fmt: skip
    buffer_raw(pending, b"not json")
    buffer_raw(pending, b'{"kind": "view", "at": "soon"}')

    assert fold_pending(batch_size=7) == 50
    assert figures("story", story.pk) == {"views": 25, "visitors": 10, "engaged_seconds": 250,
                                          "engagements": 25, "reads_to_end": 5}  # fmt: skip
    assert len(pending) == 0
    assert FoldCursor.objects.get(name=CURSOR).folded == 50

    # Folding again finds nothing new: nothing changes.
    before = everything()
    assert fold_pending(batch_size=7) == 0
    assert everything() == before

    # What comes later is folded from where the cursor stopped.
    pending.append(view("story", story.pk, visitor="v0"))
    assert fold_pending() == 1
    assert figures("story", story.pk)["views"] == 26
    assert figures("story", story.pk)["visitors"] == 10


def test_a_limit_folds_that_many_and_leaves_the_rest_waiting(pending):
    for _ in range(10):
        pending.append(view("other"))
    assert fold_pending(batch_size=3, limit=4) == 4
    assert len(pending) == 6
    assert figures("site")["views"] == 4
    assert fold_pending() == 6
    assert figures("site")["views"] == 10


def test_a_batch_that_fails_after_writing_leaves_no_count_and_the_cursor_unmoved(
    pending, monkeypatch
):
    from audience import folding

    for _ in range(5):
        pending.append(view("other"))
    write = folding.write

    def broken(sums):
        write(sums)
        raise RuntimeError("the worker died here")

    monkeypatch.setattr(folding, "write", broken)
    with pytest.raises(RuntimeError):
        fold_pending()
    monkeypatch.undo()
    assert figures("site")["views"] == 0
    assert FoldCursor.objects.get(name=CURSOR).position == "0"
    assert len(pending) == 5
    assert fold_pending() == 5
    assert figures("site")["views"] == 5


def test_a_batch_read_ahead_is_dropped_when_another_worker_moved_the_cursor(settings):
    """From Redis the next batch is read while this one is written; if the cursor is not
    where that batch was read after (another worker folded on meanwhile), it is read again
    from the cursor, never folded a second time."""
    client = use_redis(settings, PREFIX)
    story = factories.make_article(status="published")
    try:
        store = buffering.buffer()
        for _ in range(21):
            store.append(view("story", story.pk))
        ids = [entry_id for entry_id, _ in store.read("0", 100)]

        class Raced(buffering.RedisBuffer):
            def trim(self, upto):
                super().trim(upto)
                if upto == ids[6]:  # between two batches, another worker folds entries 8 to 14
                    FoldCursor.objects.filter(name=CURSOR).update(position=ids[13])

        assert fold_pending(batch_size=7, store=Raced(store.client, store.key)) == 14
        assert figures("story", story.pk)["views"] == 14  # 21 if the read-ahead were folded
        assert FoldCursor.objects.get(name=CURSOR).position == ids[20]
    finally:
        client.delete(stream_key(PREFIX))
