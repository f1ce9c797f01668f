"""The beacon's endpoint counts readers and nothing about them: no cookie, no IP address, no
user agent stored, a visitor hash that does not link across days, bots and prefetches left
out. On the database buffer and on a real Redis."""

import hashlib

import pytest
from django.apps import apps
from django.core.cache import cache
from django.utils import timezone

from audience import collecting
from audience.collecting import BEACON_PATH, PIXEL_PATH, SALT_KEY
from audience.events import ENGAGED, VIEW
from audience.folding import fold_pending
from tests.audience import beacon_kit
from tests.audience.beacon_kit import (
    BROWSER,
    DESKTOP_CHROME,
    IPHONE,
    READER_IP,
    buffered,
    report,
    send,
    stored_bytes,
)

pytestmark = pytest.mark.django_db
buffer_backend = beacon_kit.buffer_backend  # the fixture: each test on both buffers
DAY = 24 * 60 * 60


def test_a_view_is_buffered_as_the_page_said_and_the_answer_sets_nothing(client, buffer_backend):
    response = send(client, report(p="/world/story-7/?utm_campaign=x", r="https://www.google.com/"))

    assert response.status_code == 204 and response.content == b""
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers and not response.cookies
    (event,) = buffered()
    assert (event.kind, event.target, event.target_id) == (VIEW, "story", 7)
    assert event.path == "/world/story-7/"  # the query string is not kept
    assert (event.referrer, event.domain, event.device) == ("search", "google.com", "desktop")
    assert len(event.visitor) == 32 and event.seconds == 0 and not event.ended


def test_the_stored_events_hold_no_ip_address_and_no_user_agent(client, buffer_backend):
    send(client, report(), HTTP_USER_AGENT=IPHONE)
    send(client, report(k="engaged", s=40, e=True), HTTP_USER_AGENT=IPHONE)
    client.get(f"{PIXEL_PATH}?t=story&i=7&p=/world/story-7/", **{**BROWSER, "HTTP_REFERER": ""})

    stored = stored_bytes()
    assert len(buffered()) == 3 and stored
    for secret in (READER_IP, "203.0.113", IPHONE, "iPhone", "Safari", DESKTOP_CHROME, "Chrome"):
        assert secret.encode() not in stored, secret
    assert [event.device for event in buffered()] == ["mobile", "mobile", "desktop"]

    # Nor do the rollups they are folded into, nor anything else the app keeps.
    assert fold_pending() == 3
    kept = repr(
        [
            list(model.objects.values_list())
            for model in apps.get_app_config("audience").get_models()
        ]
    )
    assert "'story', 7" in kept  # the rows are there
    for secret in (READER_IP, "203.0.113", IPHONE, "iPhone", "Safari", DESKTOP_CHROME, "Chrome"):
        assert secret not in kept, secret


def test_a_report_costs_one_insert_on_the_database_buffer_and_no_query_on_redis(
    client, buffer_backend, django_assert_num_queries
):
    """No session, no user, no site settings: only the buffer's own write."""
    with django_assert_num_queries(1 if buffer_backend == "database" else 0):
        assert send(client, report()).status_code == 204
    assert len(buffered()) == 1


def test_engaged_time_is_counted_clamped_and_an_empty_report_is_not(client, buffer_backend):
    send(client, report(k="engaged", s=95, e=True))
    send(client, report(k="engaged", s=10**9))  # a tab left open for years
    send(client, report(k="engaged", s=2.6))
    send(client, report(k="engaged", s=-30))  # nothing visible, not the end: nothing
    send(client, report(k="engaged", s=0, e=False))

    counted = [(event.kind, event.seconds, event.ended) for event in buffered()]
    assert counted == [(ENGAGED, 95, True), (ENGAGED, 4 * 60 * 60, False), (ENGAGED, 2, False)]


def test_what_readers_searched_for_is_kept_trimmed_and_only_with_a_view(client, buffer_backend):
    send(client, report(t="other", i=0, p="/search/?q=city+hall", q="  city   hall "))
    send(client, report(t="other", i=0, p="/search/", q="x" * 500))
    send(client, report(k="engaged", s=3, t="other", i=0, p="/search/", q="ignored"))

    assert [event.term for event in buffered()] == ["city hall", "x" * 100, ""]
    assert {event.path for event in buffered()} == {"/search/"}


BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
    "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/120.0.6099.28 Safari/537.36",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "WhatsApp/2.23.20.0",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "Wget/1.21.4",
    "Go-http-client/1.1",
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/109.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
    "",  # no user agent at all
]


@pytest.mark.parametrize("user_agent", BOTS)
def test_bots_are_not_counted(client, buffer_backend, user_agent):
    assert send(client, report(), HTTP_USER_AGENT=user_agent).status_code == 204
    assert client.get(f"{PIXEL_PATH}?t=other&p=/", HTTP_USER_AGENT=user_agent).status_code == 200
    assert buffered() == []


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
        {"HTTP_ACCEPT_LANGUAGE": ""},  # automation: every reader's browser says its languages
    ],
)
def test_prefetches_and_automation_are_not_counted(client, buffer_backend, headers):
    send(client, report(), **headers)
    client.get(f"{PIXEL_PATH}?t=other&p=/", **{**BROWSER, **headers})
    assert buffered() == []


def test_a_report_never_reads_a_session_staff_are_counted_as_readers(
    client, buffer_backend, editor, django_assert_num_queries
):
    client.force_login(editor)
    with django_assert_num_queries(1 if buffer_backend == "database" else 0):
        assert send(client, report()).status_code == 204
    assert [event.kind for event in buffered()] == [VIEW]


def test_the_same_reader_has_the_same_hash_all_day_and_another_reader_another(
    client, buffer_backend
):
    send(client, report())
    send(client, report(k="engaged", s=5))
    send(client, report(), REMOTE_ADDR="198.51.100.9")
    send(client, report(), HTTP_USER_AGENT=IPHONE)
    first, again, other_ip, other_browser = (event.visitor for event in buffered())
    assert first == again
    assert len({first, other_ip, other_browser}) == 3


def newsroom_day(seconds: float):
    """The newsroom's day at that time: the salt's day (and the fold's)."""
    return timezone.localdate(collecting.datetime.fromtimestamp(seconds, collecting.UTC))


def test_the_next_day_the_same_reader_has_another_hash_and_yesterdays_salt_is_gone(
    client, buffer_backend, monkeypatch
):
    send(client, report())
    today = newsroom_day(collecting.now())
    yesterdays_salt = cache.get(SALT_KEY.format(day=today.isoformat()))
    assert yesterdays_salt

    tomorrow = collecting.now() + DAY
    monkeypatch.setattr(collecting, "now", lambda: tomorrow)
    send(client, report())

    day_one, day_two = (event.visitor for event in buffered())
    assert day_one and day_two and day_one != day_two
    assert cache.get(SALT_KEY.format(day=today.isoformat())) is None
    # Nothing left can turn a known reader into yesterday's hash.
    raw = "\n".join((yesterdays_salt, "testserver", READER_IP, DESKTOP_CHROME))
    assert hashlib.sha256(raw.encode()).hexdigest()[:32] == day_one
    next_day = newsroom_day(tomorrow)
    assert cache.get(SALT_KEY.format(day=next_day.isoformat())) not in (None, yesterdays_salt)


@pytest.mark.parametrize("header", [{"HTTP_SEC_GPC": "1"}, {"HTTP_DNT": "1"}])
def test_readers_who_ask_not_to_be_tracked_are_counted_without_a_hash(
    client, buffer_backend, header
):
    send(client, report(), **header)
    client.get(f"{PIXEL_PATH}?t=other&p=/", **{**BROWSER, **header})
    assert [(event.kind, event.visitor) for event in buffered()] == [(VIEW, ""), (VIEW, "")]


def test_the_reader_ip_comes_from_the_proxy_only_when_one_is_trusted(
    client, buffer_backend, settings
):
    spoofed = {"HTTP_X_FORWARDED_FOR": "192.0.2.1"}
    send(client, report())
    send(client, report(), **spoofed)  # no proxy trusted: the header is the client's invention
    settings.TRUSTED_PROXY_COUNT = 1
    send(client, report(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.1, {READER_IP}")
    own, ignored, proxied = (event.visitor for event in buffered())
    assert own == ignored == proxied


def test_the_country_comes_only_from_a_configured_cdn_header(client, buffer_backend, settings):
    send(client, report(), HTTP_CF_IPCOUNTRY="DE")
    settings.AUDIENCE_COUNTRY_HEADER = "CF-IPCountry"
    send(client, report(), HTTP_CF_IPCOUNTRY="de")
    send(client, report(), HTTP_CF_IPCOUNTRY="XX")  # unknown
    send(client, report(), HTTP_CF_IPCOUNTRY="<script>")
    assert [event.country for event in buffered()] == ["", "DE", "", ""]


@pytest.mark.parametrize(
    ("referrer", "page", "source"),
    [
        ("", "/a-story/", ("direct", "")),
        ("https://www.google.co.uk/", "/a-story/", ("search", "google.co.uk")),
        ("https://duckduckgo.com/", "/a-story/", ("search", "duckduckgo.com")),
        ("https://t.co/abc", "/a-story/", ("social", "t.co")),
        ("https://m.facebook.com/", "/a-story/", ("social", "m.facebook.com")),
        ("https://mastodon.social/@someone", "/a-story/", ("social", "mastodon.social")),
        ("https://bsky.app/profile/x", "/a-story/", ("social", "bsky.app")),
        ("https://www.othernews.example:8443/x", "/a-story/", ("site", "othernews.example")),
        ("http://testserver/", "/a-story/", ("internal", "")),
        ("http://www.testserver/section/", "/a-story/", ("internal", "")),
        ("http://localhost:8000/", "/a-story/", ("internal", "")),  # SITE_URL's host
        ("", "/a-story/?utm_source=newsletter", ("newsletter", "")),
        ("https://mail.google.com/", "/a-story/?utm_source=Newsletter", ("newsletter", "")),
        ("javascript:alert(1)", "/a-story/", ("direct", "")),
        ("http://[::1:80/", "/a-story/", ("direct", "")),  # not a URL
    ],
)
def test_where_readers_came_from(client, buffer_backend, referrer, page, source):
    send(client, report(r=referrer, p=page))
    (event,) = buffered()
    assert (event.referrer, event.domain) == source


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (DESKTOP_CHROME, "desktop"),
        (IPHONE, "mobile"),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "tablet",
        ),  # fmt: skip
        (
            "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36",
            "tablet",
        ),  # fmt: skip
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "mobile",
        ),  # fmt: skip
    ],
)
def test_the_device_class_is_kept_and_the_user_agent_forgotten(
    client, buffer_backend, user_agent, device
):
    send(client, report(), HTTP_USER_AGENT=user_agent)
    (event,) = buffered()
    assert event.device == device and user_agent.encode() not in stored_bytes()


def test_the_pixel_counts_a_view_without_javascript(client, buffer_backend):
    story = f"{PIXEL_PATH}?t=story&i=7&p=%2Fworld%2Fstory-7%2F"
    response = client.get(story, **{**BROWSER, "HTTP_REFERER": "http://testserver/world/story-7/"})
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a") and response["Cache-Control"] == "no-store"
    assert not response.cookies
    newsletter = "http://testserver/world/story-7/?utm_source=newsletter"
    client.get(story, **{**BROWSER, "HTTP_REFERER": newsletter})
    search = f"{PIXEL_PATH}?t=other&i=0&p=%2Fsearch%2F&q=budget"
    client.get(search, **BROWSER)  # no Referer (a browser that sends none)
    # Another site's page showing our pixel is not a view of ours.
    client.get(story, **{**BROWSER, "HTTP_REFERER": "https://elsewhere.example/"})
    client.head(story, **BROWSER)

    views = [(e.kind, e.target, e.target_id, e.path, e.referrer, e.term) for e in buffered()]
    assert views == [
        (VIEW, "story", 7, "/world/story-7/", "direct", ""),
        (VIEW, "story", 7, "/world/story-7/", "newsletter", ""),
        (VIEW, "other", 0, "/search/", "direct", "budget"),
    ]


def test_counting_can_be_turned_off(client, buffer_backend, settings):
    settings.AUDIENCE_ENABLED = False
    assert send(client, report()).status_code == 204
    assert client.get(f"{PIXEL_PATH}?t=other&p=/", **BROWSER).status_code == 200
    assert buffered() == []


def test_the_beacon_address_belongs_to_the_site_not_to_a_section_or_page():
    from django.urls import reverse

    from sections.addresses import clash

    assert reverse("audience:beacon") == BEACON_PATH
    assert reverse("audience:pixel") == PIXEL_PATH
    assert clash("a") is not None
