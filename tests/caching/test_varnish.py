"""A takedown reaches a real Varnish: varnishd, with deploy/varnish/default.vcl, in front of
the live server. `.ci/run` installs Debian's varnish; locally, without it, the test is
skipped with the reason, unless CI is set, when it fails instead."""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from articles import services
from articles.models import Status
from articles.roles import PUBLISHER
from caching import cdn
from newsroom.models import SiteSettings
from tests.factories import make_article, make_user

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    """varnishd in the foreground on a free port, its own working dir under tmp_path, in
    front of the live server; Django purges it. Yields its base URL."""
    if not os.path.exists(VARNISHD):
        if os.environ.get("CI"):
            pytest.fail(f"varnishd not found at {VARNISHD}: apt-get install varnish")
        pytest.skip(f"varnishd not found at {VARNISHD} (apt-get install varnish)")
    backend = urlsplit(live_server.url).port
    vcl = tmp_path / "default.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend}";'))
    port = _free_port()
    process = subprocess.Popen(
        [
            VARNISHD, "-F", "-j", "none", "-n", str(tmp_path / "varnish"),
            "-a", f"127.0.0.1:{port}", "-T", "127.0.0.1:0", "-f", str(vcl),
            "-s", "malloc,32m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_listening(port, process)
        settings.PAGE_CACHE = True  # Django sends s-maxage only for pages it may cache
        settings.CDN_PURGE_BACKEND = "caching.cdn.VarnishPurger"
        settings.CDN_PURGE_URL = url
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_listening(port: int, process) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"varnishd exited: {process.stderr.read().decode()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("varnishd did not start listening within 20 seconds")


def fetch(url: str):
    """(status, X-Varnish-Cache, body) of a GET through Varnish."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["X-Varnish-Cache"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["X-Varnish-Cache"], error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_an_unpublished_story_leaves_varnish_at_once_and_only_the_pages_showing_it(varnish):
    publisher = make_user(PUBLISHER)
    a = make_article(status=Status.PUBLISHED, headline="Story that must go")
    b = make_article(status=Status.PUBLISHED, headline="Story that stays")
    pages = {"a": varnish + a.get_absolute_url(), "b": varnish + b.get_absolute_url()}
    pages["home"] = varnish + "/"
    for url in pages.values():
        assert fetch(url)[:2] == (200, "miss")
    for url in pages.values():
        assert fetch(url)[:2] == (200, "hit")
    assert "Story that must go" in fetch(pages["home"])[2]

    services.unpublish(article=a, user=publisher)  # commits: Django purges Varnish

    deadline = time.monotonic() + 1
    while fetch(pages["a"])[0] != 404 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fetch(pages["a"])[0] == 404
    status, _, home = fetch(pages["home"])
    assert status == 200 and "Story that must go" not in home
    assert "Story that stays" in home
    assert fetch(pages["b"])[:2] == (200, "hit")


def fetch_headers(url: str):
    """(X-Varnish-Cache, Age, X-Varnish, body) of a GET through Varnish."""
    with urllib.request.urlopen(url, timeout=10) as response:
        headers = response.headers
        return (headers["X-Varnish-Cache"], int(headers["Age"]), headers["X-Varnish"],
                response.read().decode())  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_corrected_headline_reaches_varnish_by_its_purge_and_nothing_else_moves(
    varnish, settings
):
    """An edit (a soft change) is purged too, gathered in the purge window: the story's page
    shows the new headline through Varnish once the purge is sent, while a page that does not show
    the story stays the copy Varnish already had (a hit, its Age running on)."""
    settings.CDN_PURGE_WINDOW = 0.25  # as in production
    SiteSettings.get_solo()  # a running site has its settings row (making it purges `site`)
    editor = make_user(PUBLISHER)
    a = make_article(status=Status.PUBLISHED, headline="Minister resigns")
    b = make_article(status=Status.PUBLISHED, headline="Elsewhere, nothing happens")
    a_url, b_url = varnish + a.get_absolute_url(), varnish + b.get_absolute_url()
    for url in (a_url, b_url):
        fetch(url)
    cached_b = fetch_headers(b_url)
    assert cached_b[0] == "hit"
    time.sleep(1.1)  # so that Age has moved on if b is still the same object

    a.headline = "Minister resigns, aide says"
    started = time.monotonic()
    services.save_article(article=a, user=editor)  # commits: the purge goes within the window
    cdn.settle()
    # Varnish would keep the old page for its s-maxage (300 s): the new one is the purge's.
    assert "aide says" in fetch(a_url)[2]
    # The window is 0.25 s; on a loaded machine the save and the thread may take longer,
    # so the second is measured in docs/performance.md, not asserted here.
    print(f"visible through Varnish {time.monotonic() - started:.2f} s after the save began")

    still_b = fetch_headers(b_url)
    assert still_b[0] == "hit" and still_b[1] >= 1
    # X-Varnish on a hit names this request and the one that stored the object: the same one.
    assert still_b[2].split()[-1] == cached_b[2].split()[-1]
