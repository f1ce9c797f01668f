"""Every public page carries the beacon, saying what it is in the cached HTML (the same for
every reader), so a page served from our page cache still counts each view."""

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings

from articles import services
from articles.models import Status
from audience.collecting import BEACON_PATH, PIXEL_PATH
from audience.events import ENGAGED, VIEW
from tests.audience import beacon_kit
from tests.audience.beacon_kit import BROWSER, IPHONE, buffered, script_data, send
from tests.factories import make_article, make_page

pytestmark = pytest.mark.django_db
buffer_backend = beacon_kit.buffer_backend  # the fixture: each test on both buffers
BEACON_JS = Path(__file__).resolve().parents[2] / "audience" / "static" / "audience" / "beacon.js"


def pixel_query(html: str) -> dict:
    found = re.search(r'<noscript><img class="visually-hidden" src="([^"]+)"', html)
    assert found, "no pixel on the page"
    url = found.group(1).replace("&amp;", "&")
    assert url.startswith(PIXEL_PATH + "?")
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_the_beacon_script_is_under_one_kilobyte_and_keeps_nothing_in_the_browser():
    assert BEACON_JS.stat().st_size < 1024
    lines = BEACON_JS.read_text().splitlines()
    script = "\n".join(line for line in lines if not line.lstrip().startswith("//"))
    for forbidden in ("cookie", "localStorage", "sessionStorage", "indexedDB", "http"):
        assert forbidden not in script, forbidden
    assert "sendBeacon" in script and "keepalive" in script


def test_a_story_says_it_is_that_story_and_marks_the_end_of_its_body(client):
    story = make_article(status=Status.PUBLISHED)
    html = client.get(story.get_absolute_url()).content.decode()

    data = script_data(html)
    assert data == {"url": BEACON_PATH, "kind": "story", "id": str(story.pk)}
    assert '<script src="/static/audience/beacon.js" defer data-url=' in html
    assert pixel_query(html) == {"t": "story", "i": str(story.pk), "p": story.get_absolute_url()}
    body_end = html.index('<div class="body">')
    assert html.index("<div data-audience-end></div>") > body_end


def test_a_page_the_home_page_and_listings_carry_the_beacon(client):
    page = make_page(status=Status.PUBLISHED)
    story = make_article(status=Status.PUBLISHED)
    assert script_data(client.get(page.get_absolute_url()).content.decode())["kind"] == "page"
    assert script_data(client.get(page.get_absolute_url()).content.decode())["id"] == str(page.pk)
    for url in ("/", story.section.get_absolute_url()):
        html = client.get(url).content.decode()
        assert script_data(html) == {"url": BEACON_PATH, "kind": "other", "id": "0"}, url
        assert "data-audience-end" not in html


def test_the_search_page_says_what_was_searched_for(client):
    html = client.get("/search/?q=city+hall&utm_source=x").content.decode()
    assert "search" in script_data(html)
    assert pixel_query(html) == {"t": "other", "i": "0", "p": "/search/", "q": "city hall"}


def test_previews_missing_pages_and_signed_links_are_not_counted(client, editor):
    draft = make_article(status=Status.DRAFT)
    shared = client.get(f"/preview/{services.share_token(draft)}/")
    assert shared.status_code == 200 and b"audience/beacon.js" not in shared.content
    missing = client.get("/no-such-section/no-such-story/")
    assert missing.status_code == 404 and b"audience/beacon.js" not in missing.content
    client.force_login(editor)
    preview = client.get(f"/admin/articles/article/{draft.pk}/preview/")
    assert preview.status_code == 200 and b"audience/beacon.js" not in preview.content


def test_turned_off_the_pages_carry_no_beacon(client, settings):
    settings.AUDIENCE_ENABLED = False
    story = make_article(status=Status.PUBLISHED)
    assert b"audience/beacon.js" not in client.get(story.get_absolute_url()).content
    assert b"<noscript>" not in client.get("/").content


def test_the_policy_lets_the_beacon_load_and_report(client):
    story = make_article(status=Status.PUBLISHED)
    policy = client.get(story.get_absolute_url())["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert "'self'" in directives["img-src"]  # the pixel


def test_a_cached_story_still_counts_every_view(client, buffer_backend, settings):
    """Two readers get the same bytes (the second from the cache), and each browser's beacon,
    sent as beacon.js sends it from what the page says, is one view."""
    settings.PAGE_CACHE = True
    story = make_article(status=Status.PUBLISHED)
    first = client.get(story.get_absolute_url(), **BROWSER)
    second = client.get(story.get_absolute_url(), HTTP_USER_AGENT=IPHONE, REMOTE_ADDR="192.0.2.8")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content  # nothing of one reader's in the other's page

    for page, reader in ((first, BROWSER), (second, {"HTTP_USER_AGENT": IPHONE})):
        data = script_data(page.content.decode())
        report = {"k": "view", "p": story.get_absolute_url(), "r": "https://t.co/x"}
        report.update(t=data["kind"], i=int(data["id"]))
        assert data["url"] == BEACON_PATH
        assert send(client, json.dumps(report), **reader).status_code == 204
    send(client, json.dumps({**report, "k": "engaged", "s": 30, "e": True}))

    counted = [(event.kind, event.target, event.target_id) for event in buffered()]
    assert counted == [(VIEW, "story", story.pk)] * 2 + [(ENGAGED, "story", story.pk)]
    first_visitor, second_visitor, _ = (event.visitor for event in buffered())
    assert first_visitor != second_visitor


def test_the_beacon_address_is_never_a_cached_page(client, settings):
    settings.PAGE_CACHE = True
    for _ in range(2):
        response = client.get(PIXEL_PATH + "?t=other&p=/", **BROWSER)
        assert "X-Cache" not in response and response["Cache-Control"] == "no-store"
    assert len(buffered()) == 2
    assert "audience" in django_settings.MIDDLEWARE[1]  # answered before the page cache
