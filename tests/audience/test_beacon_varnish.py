"""Behind a real Varnish (deploy/varnish/default.vcl, tests/caching/test_varnish.py's
varnishd), a page served from Varnish's cache still counts: its beacon reaches Django, and
Varnish never keeps the beacon's or the pixel's answer."""

import json
import urllib.request

import pytest

from articles.models import Status
from audience.collecting import BEACON_PATH
from audience.events import VIEW
from tests.audience.beacon_kit import DESKTOP_CHROME, buffered, script_data
from tests.caching import test_varnish
from tests.factories import make_article

varnish = test_varnish.varnish  # the fixture: varnishd in front of the live server
BROWSER_HEADERS = {"User-Agent": DESKTOP_CHROME, "Accept-Language": "en-US,en;q=0.9"}


def request(url: str, body: bytes | None = None):
    """(status, X-Varnish-Cache, Cache-Control, body) of a request through Varnish."""
    headers = {**BROWSER_HEADERS, **({"Content-Type": "text/plain"} if body else {})}
    sent = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(sent, timeout=10) as response:
        head = response.headers
        return response.status, head["X-Varnish-Cache"], head["Cache-Control"], response.read()


@pytest.mark.django_db(transaction=True)
def test_pages_served_by_varnish_still_count_each_view(varnish):
    story = make_article(status=Status.PUBLISHED)
    page = varnish + story.get_absolute_url()
    first, second = request(page), request(page)
    assert (first[:2], second[:2]) == ((200, "miss"), (200, "hit"))
    assert first[3] == second[3]

    for *_, html in (first, second):
        data = script_data(html.decode())
        report = {"k": "view", "p": story.get_absolute_url(), "r": "", "t": data["kind"]}
        report["i"] = int(data["id"])
        beacon = request(varnish + data["url"], json.dumps(report).encode())
        assert beacon[:3] == (204, "miss", "no-store")
    # The pixel is a GET Varnish could keep: it must not, or a second reader is not counted.
    pixel = f"{varnish}/a/p.gif?t=story&i={story.pk}&p={story.get_absolute_url()}"
    for _ in range(2):
        answer = request(pixel)
        assert answer[:3] == (200, "miss", "no-store") and answer[3].startswith(b"GIF89a")

    counted = [(event.kind, event.target, event.target_id) for event in buffered()]
    assert counted == [(VIEW, "story", story.pk)] * 4
    assert data["url"] == BEACON_PATH
