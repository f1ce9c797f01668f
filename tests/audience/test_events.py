"""The event format is the contract between the beacon, the fold and any other engine reading
the stream: its bytes stay the same when the code that makes them changes."""

import pytest

from audience.events import Event

VIEW = Event(
    at=1733600000.5,
    kind="view",
    target="story",
    target_id=12,
    path="/a/",
    referrer="search",
    domain="duckduckgo.com",
    device="mobile",
    visitor="ab" * 16,
)
VIEW_BYTES = (
    b'{"at":1733600000.5,"kind":"view","target":"story","target_id":12,"path":"/a/",'
    b'"referrer":"search","domain":"duckduckgo.com","device":"mobile",'
    b'"visitor":"abababababababababababababababab"}'
)
ENGAGED = Event(at=1733600000, kind="engaged", target="story", target_id=12, seconds=70, ended=True)
ENGAGED_BYTES = (
    b'{"at":1733600000,"kind":"engaged","target":"story","target_id":12,"seconds":70,"ended":true}'
)


@pytest.mark.parametrize(("event", "raw"), [(VIEW, VIEW_BYTES), (ENGAGED, ENGAGED_BYTES)])
def test_an_event_is_compact_json_without_its_defaults_and_reads_back(event, raw):
    assert event.encode() == raw
    assert Event.decode(raw) == event
    assert Event.decode(raw.decode()) == event


def test_numbers_are_read_as_the_field_types():
    event = Event.decode(b'{"at":1733600000,"kind":"engaged","seconds":"70","ended":1}')
    assert (type(event.at), event.seconds, event.ended) == (float, 70, True)


@pytest.mark.parametrize(
    "raw", [b"not json", b"[1]", b'{"kind":"view"}', b'{"at":1,"kind":"view","x":1}', b"\xff"]
)
def test_anything_else_is_not_an_event(raw):
    with pytest.raises(ValueError):
        Event.decode(raw)
