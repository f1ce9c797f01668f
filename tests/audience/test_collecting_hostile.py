"""Whatever is sent to the beacon, it answers 204 and buffers nothing it should not: no 4xx
for a script to learn from, never a 5xx. Redis down: 204 too, and counting resumes."""

import json

import pytest

from audience import events
from audience.collecting import BEACON_PATH, MAX_BODY, PIXEL_PATH
from tests.audience import beacon_kit
from tests.audience.beacon_kit import (
    BROWSER,
    buffered,
    report,
    send,
)
from tests.caching_kit import redis_cache

pytestmark = pytest.mark.django_db
buffer_backend = beacon_kit.buffer_backend  # the fixture: each test on both buffers

HOSTILE = {
    "huge body": json.dumps(report(r="x" * 10 * MAX_BODY)),
    "invalid JSON": '{"k": "view", "p": "/x/"',
    "not UTF-8": b'{"k": "view", "p": "/\xff\xfe/"}',
    "a JSON array": json.dumps([report()]),
    "a JSON string": json.dumps("view"),
    "null": "null",
    "empty": "",
    "nested deep": "[" * 1500 + "]" * 1500,
    "an unknown field": json.dumps(report(ip="1.2.3.4")),
    "no kind": json.dumps({"p": "/x/", "t": "other"}),
    "an unknown kind": json.dumps(report(k="purchase")),
    "a click from the beacon": json.dumps(report(k="click")),
    "a sign-up from the beacon": json.dumps(report(k="signup")),
    "kind of wrong type": json.dumps(report(k=["view"])),
    "id as a string": json.dumps(report(i="7")),
    "id as a float": json.dumps(report(i=7.5)),
    "id as a boolean": json.dumps(report(i=True)),
    "negative id": json.dumps(report(i=-7)),
    "id past 64 bits": json.dumps(report(i=2**70)),
    "a story without an id": json.dumps(report(i=0)),
    "unknown target": json.dumps(report(t="admin")),
    "seconds as a string": json.dumps(report(k="engaged", s="60")),
    "seconds as a boolean": json.dumps(report(k="engaged", s=True)),
    "ended as a number": json.dumps(report(k="engaged", s=5, e=1)),
    "NaN seconds": '{"k": "engaged", "p": "/x/", "t": "other", "s": NaN}',
    "path of wrong type": json.dumps(report(p={"path": "/"})),
    "a foreign URL": json.dumps(report(p="http://evil.example/phish")),
    "a protocol-relative URL": json.dumps(report(p="//evil.example/phish")),
    "javascript:": json.dumps(report(p="javascript:alert(1)")),
    "a relative path": json.dumps(report(p="world/story-7/")),
    "unicode garbage": json.dumps(report(p="/\u202e\u0000\ud83d\ude00/")),
    "a space in the path": json.dumps(report(p="/a b/")),
    "a backslash": json.dumps(report(p="/\\evil.example/")),
    "referrer of wrong type": json.dumps(report(r=42)),
}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_reports_are_dropped_with_a_204(client, buffer_backend, body):
    response = send(client, body)
    assert response.status_code == 204 and response.content == b""
    assert not response.cookies
    assert buffered() == []


def test_a_body_longer_than_it_says_is_not_read_past_the_limit(client, buffer_backend):
    """A Content-Length under the limit with more sent: only the limit is read, and what it
    reads is not a whole report."""
    body = json.dumps(report(r="https://x.example/" + "y" * 4 * MAX_BODY)).encode()
    response = client.generic(
        "POST", BEACON_PATH, body, content_type="text/plain", CONTENT_LENGTH="100", **BROWSER
    )
    assert response.status_code == 204 and buffered() == []


def test_long_values_are_cut_to_what_an_event_may_hold(client, buffer_backend):
    long_path = "/" + "a" * 1000 + "/"
    send(client, report(p=long_path, t="other", i=0, q="word " * 60))
    (event,) = buffered()
    assert event.path == long_path[: events.MAX_PATH] and len(event.term) <= events.MAX_VALUE


@pytest.mark.parametrize("method", ["get", "put", "delete", "options", "head"])
def test_other_methods_to_the_beacon_are_answered_and_count_nothing(client, buffer_backend, method):
    response = getattr(client, method)(BEACON_PATH, **BROWSER)
    assert response.status_code == 204 and response["Cache-Control"] == "no-store"
    assert buffered() == []


@pytest.mark.parametrize(
    "query",
    ["t=story&i=abc&p=/x/", "t=story&i=99999999999999999999&p=/x/", "t=evil&p=/x/",
     "t=other&p=http://evil.example/", "t=other&p=//evil.example/", "t=story&p=/x/",
     "t=other&p=/%00/", "t=other&p=javascript:alert(1)", "p=/x/&t=page&i=-3",
     "t=story&i=%D9%A1%D9%A2&p=/x/"],
)  # fmt: skip
def test_hostile_pixels_are_answered_with_the_gif_and_count_nothing(client, buffer_backend, query):
    response = client.get(f"{PIXEL_PATH}?{query}", **BROWSER)
    assert response.status_code == 200 and response.content.startswith(b"GIF89a")
    assert buffered() == []


@pytest.fixture
def redis_down(settings, db):
    """The cache and the buffer on a Redis nobody listens to (a closed port)."""
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0", SOCKET_CONNECT_TIMEOUT=0.5)


def test_a_pixel_with_a_referer_that_is_no_url_is_dropped_quietly(client, buffer_backend, caplog):
    response = client.get(f"{PIXEL_PATH}?t=other&p=/", **{**BROWSER, "HTTP_REFERER": "http://[::1"})
    assert response.status_code == 200 and buffered() == []
    assert "Audience report dropped" not in caplog.text  # no error logged for it either


def test_redis_down_the_beacon_says_204_and_nothing_leaks(client, redis_down, caplog):
    for body in (report(), report(k="engaged", s=30, e=True)):
        response = send(client, body)
        assert response.status_code == 204 and response.content == b""
    pixel = client.get(f"{PIXEL_PATH}?t=other&p=/", **BROWSER)
    assert pixel.status_code == 200 and pixel.content.startswith(b"GIF89a")
    assert "Audience event lost" in caplog.text  # logged for the operator, not shown
    assert "Audience report dropped" not in caplog.text  # no error past the buffer's


@pytest.mark.parametrize("buffer_backend", ["redis"], indirect=True)
def test_counting_resumes_when_redis_is_back(client, buffer_backend, settings):
    working = settings.CACHES
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0", SOCKET_CONNECT_TIMEOUT=0.5)
    assert send(client, report()).status_code == 204
    settings.CACHES = working
    assert send(client, report()).status_code == 204
    (event,) = buffered()
    assert event.kind == events.VIEW and event.visitor
