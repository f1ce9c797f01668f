"""Changes reach the CDN: a change purges the pages that show the story, by the surrogate
keys every public page names (takedowns at once, edits within the purge window); the purge
request each CDN expects is the one sent."""

import json
import socket
import time

import pytest
from django.urls import reverse

from articles import services
from articles.models import Byline, Status
from caching import cdn
from tests.cdn_server import PurgeServer
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def keys_of(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


@pytest.fixture
def varnish_purges(settings):
    """Purges sent, as Varnish BANs, to a recording server."""
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "caching.cdn.VarnishPurger"
        settings.CDN_PURGE_URL = server.url
        yield server.received


def banned(received) -> list[set[str]]:
    return [set(r["headers"]["X-Surrogate-Key"].split()) for r in received]


def taken_down(story, author) -> set[str]:
    """What a story leaving the site purges: the pages showing it, the listings it was in,
    and pages whose life the schedule bounded."""
    return {f"story-{story.pk}", "stories", f"stories-section-{story.section_id}",
            f"stories-author-{author.pk}", "schedule", "overflow"}  # fmt: skip


def test_a_story_page_names_the_story_its_section_and_its_authors(client):
    story = make_article(status=Status.PUBLISHED)
    response = client.get(story.get_absolute_url())
    author = story.bylines.get().author
    assert {"site", f"story-{story.pk}", f"section-{story.section_id}", f"author-{author.pk}"} <= (
        keys_of(response)
    )
    assert f"story-{story.pk}" in response["Cache-Tag"].split(",")


@pytest.mark.parametrize("page", ["/", "feeds-rss", "section"])
def test_rivers_listings_and_feeds_name_every_story_they_show(client, page):
    stories = [make_article(status=Status.PUBLISHED) for _ in range(3)]
    url = {
        "/": "/",
        "feeds-rss": reverse("feeds:latest-rss"),
        "section": stories[0].section.get_absolute_url(),
    }[page]
    response = client.get(url)
    assert response.status_code == 200
    shown = stories if page != "section" else stories[:1]
    assert {f"story-{s.pk}" for s in shown} <= keys_of(response)


def test_a_cached_page_names_the_same_keys(client, settings):
    settings.PAGE_CACHE = True
    story = make_article(status=Status.PUBLISHED)
    first = client.get(story.get_absolute_url())
    second = client.get(story.get_absolute_url())
    assert second["X-Cache"] == "hit"
    assert second["Surrogate-Key"] == first["Surrogate-Key"]


def test_unpublishing_purges_the_story_key(
    publisher, varnish_purges, django_capture_on_commit_callbacks
):
    story = make_article(status=Status.PUBLISHED)
    author = story.bylines.get().author
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(article=story, user=publisher)
    assert banned(varnish_purges) == [taken_down(story, author)]


def test_deleting_a_live_story_purges_its_key(
    publisher, varnish_purges, django_capture_on_commit_callbacks
):
    story = make_article(status=Status.PUBLISHED)
    expected = taken_down(story, story.bylines.get().author)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_article(article=story, user=publisher)
    assert banned(varnish_purges) == [expected]


def test_an_edit_to_a_live_story_purges_its_key_within_the_window(
    editor, settings, varnish_purges, django_capture_on_commit_callbacks
):
    """A corrected headline does not wait for s-maxage: its pages are purged, once the window
    in which edits are gathered has passed."""
    settings.CDN_PURGE_WINDOW = 0.2
    story = make_article(status=Status.PUBLISHED)
    story.headline = "A better headline"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(article=story, user=editor)
    cdn.settle()  # the window's purge, sent from its thread: however long the machine takes
    assert banned(varnish_purges) == [{f"story-{story.pk}", "overflow"}]


def test_many_edits_make_few_purges_and_lose_no_key(
    editor, settings, varnish_purges, django_capture_on_commit_callbacks
):
    """Forty edits of twenty stories as fast as they come: one purge per window, every key in
    one of them."""
    settings.CDN_PURGE_WINDOW = 0.3
    stories = [make_article(status=Status.PUBLISHED) for _ in range(20)]
    started = time.monotonic()
    for story in stories * 2:
        story.dek = f"Edited at {time.monotonic()}"
        with django_capture_on_commit_callbacks(execute=True):
            services.save_article(article=story, user=editor)
    took = time.monotonic() - started
    expected = {f"story-{story.pk}" for story in stories}
    deadline = time.monotonic() + 5
    while not expected <= set().union(*banned(varnish_purges)) and time.monotonic() < deadline:
        time.sleep(0.02)
    cdn.settle()
    assert expected <= set().union(*banned(varnish_purges))
    assert len(varnish_purges) <= took / 0.3 + 2


def test_a_write_outside_the_services_purges_what_it_names(
    varnish_purges, django_capture_on_commit_callbacks
):
    """The safety net names the instance it saw (here, the story a byline is on), not the
    whole site."""
    story = make_article(status=Status.PUBLISHED)
    author = story.bylines.get().author
    with django_capture_on_commit_callbacks(execute=True):
        Byline.objects.filter(article=story).delete()
        author.name = "Renamed in a shell"
        author.save()
    assert banned(varnish_purges) == [{f"story-{story.pk}", "overflow"},
                                      {f"author-{author.pk}", "overflow"}]  # fmt: skip


def test_revoking_share_links_purges_nothing(
    publisher, varnish_purges, django_capture_on_commit_callbacks
):
    draft = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_share_links(article=draft, user=publisher)
    assert varnish_purges == []


def test_a_cdn_that_is_down_is_logged_and_the_save_stands(
    publisher, settings, caplog, django_capture_on_commit_callbacks
):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CDN_PURGE_BACKEND = "caching.cdn.VarnishPurger"
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{port}"
    story = make_article(status=Status.PUBLISHED)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(article=story, user=publisher)
    assert time.monotonic() - started < 3
    story.refresh_from_db()
    assert story.status == Status.UNPUBLISHED
    assert "CDN purge failed" in caplog.text


def test_after_a_refused_purge_the_next_one_goes_with_the_keys_it_missed(
    publisher, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as sock:  # a port nobody listens on: the CDN is down
        sock.bind(("127.0.0.1", 0))
        settings.CDN_PURGE_BACKEND = "caching.cdn.VarnishPurger"
        settings.CDN_PURGE_URL = f"http://127.0.0.1:{sock.getsockname()[1]}"
    first, second = [make_article(status=Status.PUBLISHED) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(article=first, user=publisher)
    with PurgeServer() as server:  # the CDN is back
        settings.CDN_PURGE_URL = server.url
        with django_capture_on_commit_callbacks(execute=True):
            services.unpublish(article=second, user=publisher)
    authors = [story.bylines.get().author for story in (first, second)]
    assert banned(server.received) == [
        taken_down(first, authors[0]) | taken_down(second, authors[1])
    ]


def test_varnish_gets_a_ban_naming_the_keys(settings):
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "caching.cdn.VarnishPurger"
        settings.CDN_PURGE_URL = server.url
        assert cdn.send({"story-12"})
    (request,) = server.received
    assert request["method"] == "BAN"
    assert set(request["headers"]["X-Surrogate-Key"].split()) == {"story-12", "overflow"}


def test_fastly_gets_a_surrogate_key_purge(settings):
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "caching.cdn.FastlyPurger"
        settings.CDN_PURGE_URL = server.url
        settings.CDN_PURGE_SERVICE = "SERVICE1"
        settings.CDN_PURGE_TOKEN = "fastly-token"
        assert cdn.send({"story-12"})
    (request,) = server.received
    assert (request["method"], request["path"]) == ("POST", "/service/SERVICE1/purge")
    assert request["headers"]["Fastly-Key"] == "fastly-token"
    assert set(request["headers"]["Surrogate-Key"].split()) == {"story-12", "overflow"}


def test_cloudflare_gets_a_purge_by_cache_tag(settings):
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "caching.cdn.CloudflarePurger"
        settings.CDN_PURGE_URL = server.url
        settings.CDN_PURGE_SERVICE = "ZONE1"
        settings.CDN_PURGE_TOKEN = "cf-token"
        assert cdn.send({"story-12"})
    (request,) = server.received
    assert (request["method"], request["path"]) == ("POST", "/client/v4/zones/ZONE1/purge_cache")
    assert request["headers"]["Authorization"] == "Bearer cf-token"
    assert sorted(json.loads(request["body"])["tags"]) == ["overflow", "story-12"]


def test_cloudfront_gets_a_signed_invalidation(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "caching.cdn.CloudFrontPurger"
        settings.CDN_PURGE_URL = server.url
        settings.CDN_PURGE_SERVICE = "EDIST1"
        assert cdn.send({"story-12"})
    (request,) = server.received
    assert request["path"] == "/2020-05-31/distribution/EDIST1/invalidation"
    assert request["headers"]["Authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
    )
    assert b"<Path>/*</Path>" in request["body"]
    assert b"<Quantity>1</Quantity>" in request["body"]
