"""The page cache serves readers fast and never shows the wrong thing: tested on local
memory and on a real Redis."""

import os
import re
import shutil
import subprocess
import threading
import time
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Status
from caching.invalidation import changed
from caching.middleware import PageCacheMiddleware
from tests.admin_forms import change_form_data
from tests.caching_kit import redis_cache
from tests.factories import make_article

pytestmark = pytest.mark.django_db
URLS = "tests.caching.page_cache_urls"  # a few pages of the tests' own, and the site


def test_a_second_anonymous_request_is_served_from_cache_without_queries(client, page_cache):
    story = make_article(status=Status.PUBLISHED)
    first = client.get(story.get_absolute_url())
    assert first["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(story.get_absolute_url())
    assert second["X-Cache"] == "hit" and len(queries) == 0
    assert second.content == first.content


def test_http_caching_headers_and_304(client, page_cache):
    make_article(status=Status.PUBLISHED)
    response = client.get("/")
    control = response["Cache-Control"]
    assert "public" in control and "max-age=" in control and "s-maxage=" in control
    assert "stale-while-revalidate=" in control
    assert "Cookie" not in response.get("Vary", "")
    etag = response["ETag"]
    not_modified = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""


def test_unknown_query_parameters_share_the_cached_page(client, page_cache):
    make_article(status=Status.PUBLISHED)
    client.get("/")
    assert client.get("/?utm_source=newsletter&x=1")["X-Cache"] == "hit"


def test_staff_and_previews_bypass_the_cache(client, page_cache, editor):
    story = make_article(status=Status.PUBLISHED)
    client.get(story.get_absolute_url())
    client.force_login(editor)
    response = client.get(story.get_absolute_url())
    assert "X-Cache" not in response
    preview = client.get(reverse("admin:articles_article_preview", args=[story.pk]))
    assert "X-Cache" not in preview and "no-store" in preview["Cache-Control"]
    token = services.share_token(story)
    client.logout()
    assert "X-Cache" not in client.get(f"/preview/{token}/")


def test_page_cache_off(client, page_cache, settings):
    settings.PAGE_CACHE = False
    make_article(status=Status.PUBLISHED)
    client.get("/")
    assert "X-Cache" not in client.get("/")


def test_an_edit_reaches_every_cached_page_at_once(
    client, page_cache, editor, django_capture_on_commit_callbacks
):
    story = make_article(status=Status.PUBLISHED, headline="Old headline")
    story.tags.set(["Ukraine"])
    author = story.bylines.get().author
    urls = ["/", story.get_absolute_url(), story.section.get_absolute_url(),
            author.get_absolute_url(), "/tags/ukraine/", "/feeds/rss/"]  # fmt: skip
    for url in urls:
        assert "Old headline" in client.get(url).content.decode(), url
        assert client.get(url)["X-Cache"] == "hit"
    staff = client.__class__()
    staff.force_login(editor)
    change = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(staff.get(change))
    data["headline"] = "New headline"
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(change, data).status_code == 302
    for url in urls:
        body = client.get(url).content.decode()
        assert "New headline" in body and "Old headline" not in body, url


@pytest.mark.parametrize("leave", [services.unpublish, services.archive])
def test_a_story_that_leaves_the_site_leaves_every_cached_page(
    client, page_cache, publisher, django_capture_on_commit_callbacks, leave
):
    """Every page that showed it while live, cached then, forgets it at once; a browser or CDN
    revalidating with the old ETag gets the new page, not a 304."""
    from articles.models import Correction
    from sections.models import Series

    series = Series.objects.create(name="Soon series", slug="soon-series")
    story = make_article(
        status=Status.PUBLISHED, headline="Soon gone", slug="soon-gone", series=series
    )
    story.tags.set(["Ukraine"])
    Correction.objects.create(article=story, text="<p>Soon gone, corrected.</p>")
    section, author = story.section, story.bylines.get().author
    urls = ["/", section.get_absolute_url(), author.get_absolute_url(), "/tags/ukraine/",
            "/series/soon-series/", "/search/?q=soon", "/corrections/", "/feeds/rss/",
            "/feeds/atom/?full=1", f"/feeds/sections/{section.slug}/rss/",
            f"/feeds/authors/{author.slug}/atom/", "/feeds/series/soon-series/rss/",
            "/corrections/feed/", "/sitemap-stories.xml", "/news-sitemap.xml"]  # fmt: skip
    etags = {}
    for url in urls:
        client.get(url)
        cached = client.get(url)
        assert cached["X-Cache"] == "hit" and b"oon-gone" in cached.content.lower(), url
        etags[url] = cached["ETag"]
    client.get(story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        leave(article=story, user=publisher)
    for url in urls:
        response = client.get(url, HTTP_IF_NONE_MATCH=etags[url])
        # The tag page is gone with its only story; every other page is there, without it.
        assert response.status_code == (404 if url == "/tags/ukraine/" else 200), url
        assert b"soon gone" not in response.content.lower(), url
        assert b"soon-gone" not in response.content, url
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_scheduled_story_appears_on_cached_pages_within_a_second(client, page_cache):
    """Whatever the machine's speed: a page made before the publish time does not show the
    story and may be kept (by us or a CDN) only until then; after it, the story is there."""
    make_article(status=Status.PUBLISHED, headline="Already out")
    at = timezone.now() + timedelta(seconds=1.5)
    make_article(status=Status.PUBLISHED, headline="Embargoed until soon", publish_at=at)
    asked = timezone.now()
    first = client.get("/")
    if timezone.now() < at:  # on a slow machine the page may only be done after the time
        assert "Embargoed until soon" not in first.content.decode()
    max_age = re.search(r"s-maxage=(\d+)", first.get("Cache-Control", ""))
    if max_age is not None:  # none at all when the time is too close to keep the page
        assert asked + timedelta(seconds=int(max_age.group(1))) <= at + timedelta(seconds=1)
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.05)
    assert "Embargoed until soon" in client.get("/").content.decode()


def test_an_expiring_story_leaves_cached_pages_on_time(client, page_cache):
    at = timezone.now() + timedelta(seconds=1.5)
    make_article(status=Status.PUBLISHED, headline="Expiring", unpublish_at=at)
    assert "Expiring" in client.get("/").content.decode()
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.05)
    assert "Expiring" not in client.get("/").content.decode()


@pytest.mark.urls(URLS)
def test_a_burst_of_readers_on_a_cold_page_renders_it_once(page_cache):
    renders = []

    def slow_view(request):
        renders.append(1)
        time.sleep(0.3)
        return HttpResponse("<p>page</p>")

    middleware = PageCacheMiddleware(slow_view)
    factory = RequestFactory()
    responses = []

    def reader():
        responses.append(middleware(factory.get("/t/hot-page/")))

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(renders) == 1
    assert len(responses) == 8 and all(r.content == b"<p>page</p>" for r in responses)
    assert sorted(r["X-Cache"] for r in responses) == ["hit"] * 7 + ["miss"]


def test_a_story_saved_outside_the_admin_invalidates_too(
    client, page_cache, django_capture_on_commit_callbacks
):
    story = make_article(status=Status.PUBLISHED, headline="Before")
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "After"
        story.save()
    assert "After" in client.get("/").content.decode()


def _burst(middleware, path: str, readers: int = 8) -> list:
    factory, responses = RequestFactory(), []

    def reader():
        responses.append(middleware(factory.get(path)))

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return responses


@pytest.mark.urls(URLS)
@pytest.mark.parametrize(
    "hard, expected",
    [
        (False, ["miss"] + ["stale"] * 7),  # an edit: readers keep the previous copy meanwhile
        (True, ["hit"] * 7 + ["miss"]),  # something was taken away: everyone waits for the new
    ],
)
def test_while_a_page_is_rendered_anew_readers_get_the_previous_copy_unless_a_removal(
    page_cache, hard, expected
):
    versions = iter(["<p>before</p>", "<p>after</p>"])

    def slow_view(request):
        time.sleep(0.3)
        return HttpResponse(next(versions))

    middleware = PageCacheMiddleware(slow_view)
    assert middleware(RequestFactory().get("/t/river/"))["X-Cache"] == "miss"
    changed(keys={"site"}, hard=hard)
    responses = _burst(middleware, "/t/river/")
    assert sorted(r["X-Cache"] for r in responses) == sorted(expected)
    for response in responses:
        stale = response["X-Cache"] == "stale"
        assert response.content == (b"<p>before</p>" if stale else b"<p>after</p>")


def test_which_changes_are_hard(page_cache, django_capture_on_commit_callbacks, publisher):
    def change(action):
        """What the action announced once it commits (the callbacks it left to run)."""
        with django_capture_on_commit_callbacks() as callbacks:
            action()
        said = [c.keywords for c in callbacks if getattr(c, "func", None) is changed]
        if not said:
            return "none"
        return "hard" if any(told["hard"] for told in said) else "soft"

    def save(story):
        return lambda: services.save_article(article=story, user=publisher)

    draft = make_article(headline="Never published")
    live = make_article(status=Status.PUBLISHED, headline="Live")
    assert change(save(draft)) == "none"  # on no public page: nothing to forget
    assert change(save(live)) == "soft"
    live.unpublish_at = timezone.now() + timedelta(seconds=2)  # a takedown needs no write
    assert change(save(live)) == "hard"
    assert change(lambda: services.unpublish(article=live, user=publisher)) == "hard"
    assert change(save(live)) == "none"  # off the site: editing it changes no page
    assert change(lambda: services.delete_article(article=draft, user=publisher)) == "none"
    assert change(lambda: services.delete_article(article=live, user=publisher)) == "none"
    # A raw ORM write bypasses the services: the safety net cannot know, so assumes the worst.
    other = make_article(headline="Written from a shell")
    assert change(lambda: other.save()) == "hard"


@pytest.mark.urls(URLS)
def test_a_stale_copy_never_outlives_a_takedown_set_by_an_edit(
    page_cache, django_capture_on_commit_callbacks
):
    story = make_article(status=Status.PUBLISHED, headline="Leaving soon")

    def slow_view(request):
        time.sleep(0.3)
        return HttpResponse(story.headline)

    middleware = PageCacheMiddleware(slow_view)
    assert middleware(RequestFactory().get("/t/takedown/"))["X-Cache"] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish_at = timezone.now() + timedelta(seconds=1)
        story.save()
    responses = _burst(middleware, "/t/takedown/", readers=4)
    assert "stale" not in {r["X-Cache"] for r in responses}


@pytest.mark.urls(URLS)
def test_concurrent_readers_of_an_uncacheable_page_do_not_wait_for_it(page_cache):
    def not_found(request):
        time.sleep(0.3)
        return HttpResponse("gone", status=404)

    started = time.monotonic()
    responses = _burst(PageCacheMiddleware(not_found), "/t/gone/", readers=4)
    assert [r.status_code for r in responses] == [404] * 4
    assert time.monotonic() - started < 2.5  # not WAIT_SECONDS each


@pytest.mark.urls(URLS)
def test_only_views_declared_public_pages_are_cached(client, page_cache):
    """Undeclared views (here, the admin's login and the benchmark's fixed page too), and
    declared ones that say they are private, are never stored."""
    assert client.get("/public/")["X-Cache"] == "miss"
    assert client.get("/public/")["X-Cache"] == "hit"
    for url in ("/undeclared/", "/_bench/fixed/?size=100", "/admin/login/", "/never/",
                "/private/"):  # fmt: skip
        client.get(url)
        response = client.get(url)
        assert "X-Cache" not in response or response["X-Cache"] == "miss", url
        assert "s-maxage" not in response.get("Cache-Control", ""), url


@pytest.mark.urls(URLS)
def test_only_the_declared_parameters_make_another_page(client, page_cache):
    assert client.get("/public/?page=2")["X-Cache"] == "miss"
    same = client.get("/public/?utm_source=x&page=2&fbclid=y")
    assert same["X-Cache"] == "hit" and same.content == b"<p>/public/ page=2</p>"
    assert client.get("/public/?page=3")["X-Cache"] == "miss"
    client.get("/search/?q=peace")
    assert client.get("/search/?q=peace&utm_campaign=z")["X-Cache"] == "hit"
    assert client.get("/search/?q=war")["X-Cache"] == "miss"


@pytest.mark.urls(URLS)
def test_a_page_whose_csp_used_a_nonce_is_never_stored(client, page_cache):
    first = client.get("/nonce/")
    second = client.get("/nonce/")
    assert second["X-Cache"] == "miss" and first.content != second.content


def test_a_hit_keeps_the_security_csp_and_surrogate_headers(client, page_cache):
    story = make_article(status=Status.PUBLISHED)
    for url in ("/", story.get_absolute_url(), "/feeds/rss/"):
        miss = client.get(url)
        hit = client.get(url)
        assert (miss["X-Cache"], hit["X-Cache"]) == ("miss", "hit"), url
        for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options",
                       "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy",
                       "Surrogate-Key", "Cache-Tag", "ETag", "Content-Type"):  # fmt: skip
            assert hit[header] == miss[header], (url, header)
        assert f"story-{story.pk}" in hit["Surrogate-Key"].split()
        assert "'self'" in hit["Content-Security-Policy"]


def test_a_hit_answers_304_to_its_etag(client, page_cache):
    make_article(status=Status.PUBLISHED)
    client.get("/")
    hit = client.get("/")
    assert hit["X-Cache"] == "hit"
    not_modified = client.get("/", HTTP_IF_NONE_MATCH=hit["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert "s-maxage=" in not_modified["Cache-Control"]
    assert client.get("/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_hit_is_capped_by_the_next_scheduled_change(client, page_cache):
    make_article(status=Status.PUBLISHED)
    make_article(status=Status.PUBLISHED, publish_at=timezone.now() + timedelta(seconds=40))
    client.get("/")
    hit = client.get("/")
    assert hit["X-Cache"] == "hit"
    assert int(re.search(r"s-maxage=(\d+)", hit["Cache-Control"]).group(1)) <= 40
    assert "max-age=" in hit["Cache-Control"] and "public" in hit["Cache-Control"]


# --- A Redis of our own, to count what a hit asks of it and to stop it.


@pytest.fixture
def own_redis(settings, tmp_path):
    """A redis-server started for the test on its own port; yields (start, stop)."""
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = int(os.environ.get("TEST_OWN_REDIS_PORT", "8320"))
    processes = []

    def start():
        process = subprocess.Popen(
            [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        processes.append(process)
        for _ in range(100):
            try:
                if redis.Redis(port=port, socket_connect_timeout=0.2).ping():
                    return redis.Redis(port=port)
            except redis.RedisError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {port}")

    def stop():
        processes[-1].terminate()
        processes[-1].wait(10)

    settings.CACHES = redis_cache(
        f"redis://127.0.0.1:{port}/0", SOCKET_CONNECT_TIMEOUT=0.2, SOCKET_TIMEOUT=0.2
    )
    settings.PAGE_CACHE = True
    yield start, stop
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(10)


@pytest.fixture
def round_trips(monkeypatch):
    """Count what this process sends Redis: each send is one round trip (a pipeline or a
    script is one send)."""
    sent = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(self, command, check_health=True):
        sent.append(command)
        return send(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    return sent


def test_a_hit_is_one_round_trip_to_redis(client, own_redis, round_trips):
    own_redis[0]()
    story = make_article(status=Status.PUBLISHED)
    client.get(story.get_absolute_url())
    round_trips.clear()
    assert client.get(story.get_absolute_url())["X-Cache"] == "hit"
    assert len(round_trips) == 1


def test_a_miss_asks_redis_for_each_thing_once(client, own_redis, round_trips, settings):
    """A story page rendered anew (its story just changed): the page and its lock; the
    story's remembered surroundings (read, and stored again); the site settings, the
    schedule, the sign-up offer and the navigation, still remembered: one read each; the
    fragments, one read; the page stored. Nothing is asked twice."""
    settings.REMEMBER_VALUES = True
    own_redis[0]()
    story = make_article(status=Status.PUBLISHED)
    client.get(story.get_absolute_url())
    changed(keys={f"story-{story.pk}"}, hard=True)
    round_trips.clear()
    assert client.get(story.get_absolute_url())["X-Cache"] == "miss"
    assert len(round_trips) <= 9, [command[:80] for command in round_trips]


def test_readers_get_pages_while_redis_is_gone_and_caching_resumes_when_it_is_back(
    client, own_redis, caplog
):
    start, stop = own_redis
    start()
    story = make_article(status=Status.PUBLISHED, headline="Through the outage")
    url = story.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    stop()
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and response["X-Cache"] == "miss"
        assert "Through the outage" in response.content.decode()
        assert "s-maxage" not in response.get("Cache-Control", "")
    assert "Cache unavailable" in caplog.text
    start()  # empty, as after a restart
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
