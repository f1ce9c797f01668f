"""Takedowns reach the CDN: a hard change purges the pages that show the story, by the
surrogate keys every public page names; the purge request each CDN expects is the one sent."""

import json
import socket
import time

import pytest
from django.urls import reverse

from articles import services
from articles.models import Byline, Status
from newsroom import cdn
from tests.cdn_server import PurgeServer
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def keys_of(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


@pytest.fixture
def varnish_purges(settings):
    """Purges sent, as Varnish BANs, to a recording server."""
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "newsroom.cdn.VarnishPurger"
        settings.CDN_PURGE_URL = server.url
        yield server.received


def banned(received) -> list[set[str]]:
    return [set(r["headers"]["X-Surrogate-Key"].split()) for r in received]


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
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(article=story, user=publisher)
    assert banned(varnish_purges) == [{f"story-{story.pk}", "overflow"}]


def test_deleting_a_live_story_purges_its_key(
    publisher, varnish_purges, django_capture_on_commit_callbacks
):
    story = make_article(status=Status.PUBLISHED)
    pk = story.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_article(article=story, user=publisher)
    assert banned(varnish_purges) == [{f"story-{pk}", "overflow"}]


def test_an_edit_to_a_live_story_purges_nothing(
    editor, varnish_purges, django_capture_on_commit_callbacks
):
    """Soft changes leave the CDN to s-maxage and stale-while-revalidate."""
    story = make_article(status=Status.PUBLISHED)
    story.headline = "A better headline"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(article=story, user=editor)
    assert varnish_purges == []


def test_a_write_outside_the_services_purges_everything(
    varnish_purges, django_capture_on_commit_callbacks
):
    story = make_article(status=Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        Byline.objects.filter(article=story).delete()
    assert banned(varnish_purges) == [{"site"}]


def test_a_cdn_that_is_down_is_logged_and_the_save_stands(
    publisher, settings, caplog, django_capture_on_commit_callbacks
):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CDN_PURGE_BACKEND = "newsroom.cdn.VarnishPurger"
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{port}"
    story = make_article(status=Status.PUBLISHED)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(article=story, user=publisher)
    assert time.monotonic() - started < 3
    story.refresh_from_db()
    assert story.status == Status.UNPUBLISHED
    assert "CDN purge failed" in caplog.text


def test_varnish_gets_a_ban_naming_the_keys(settings):
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "newsroom.cdn.VarnishPurger"
        settings.CDN_PURGE_URL = server.url
        assert cdn.purge(keys={"story-12"})
    (request,) = server.received
    assert request["method"] == "BAN"
    assert set(request["headers"]["X-Surrogate-Key"].split()) == {"story-12", "overflow"}


def test_fastly_gets_a_surrogate_key_purge(settings):
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "newsroom.cdn.FastlyPurger"
        settings.CDN_PURGE_URL = server.url
        settings.CDN_PURGE_SERVICE = "SERVICE1"
        settings.CDN_PURGE_TOKEN = "fastly-token"
        assert cdn.purge(keys={"story-12"})
    (request,) = server.received
    assert (request["method"], request["path"]) == ("POST", "/service/SERVICE1/purge")
    assert request["headers"]["Fastly-Key"] == "fastly-token"
    assert set(request["headers"]["Surrogate-Key"].split()) == {"story-12", "overflow"}


def test_cloudflare_gets_a_purge_by_cache_tag(settings):
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "newsroom.cdn.CloudflarePurger"
        settings.CDN_PURGE_URL = server.url
        settings.CDN_PURGE_SERVICE = "ZONE1"
        settings.CDN_PURGE_TOKEN = "cf-token"
        assert cdn.purge(keys={"story-12"})
    (request,) = server.received
    assert (request["method"], request["path"]) == ("POST", "/client/v4/zones/ZONE1/purge_cache")
    assert request["headers"]["Authorization"] == "Bearer cf-token"
    assert sorted(json.loads(request["body"])["tags"]) == ["overflow", "story-12"]


def test_cloudfront_gets_a_signed_invalidation(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    with PurgeServer() as server:
        settings.CDN_PURGE_BACKEND = "newsroom.cdn.CloudFrontPurger"
        settings.CDN_PURGE_URL = server.url
        settings.CDN_PURGE_SERVICE = "EDIST1"
        assert cdn.purge(keys={"story-12"})
    (request,) = server.received
    assert request["path"] == "/2020-05-31/distribution/EDIST1/invalidation"
    assert request["headers"]["Authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
    )
    assert b"<Path>/*</Path>" in request["body"]
    assert b"<Quantity>1</Quantity>" in request["body"]
