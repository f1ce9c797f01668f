"""Reader pages are assembled from stored fragments (teasers, a story's body and byline) and
a story's surroundings stored per content generation (river, series box): a page shows every
change at once, with the old fragments still stored, and never shows a story taken down.
On local memory and on a real Redis (TEST_REDIS_URL)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_redis import get_redis_connection
from redis.exceptions import RedisError

from articles import fragments, services
from articles.models import Correction, RelatedArticle, Status
from media.renditions import build_renditions
from sections.models import Series
from tests.factories import make_article, make_author, make_section, make_user
from tests.images import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(cache_backend, remembered_values):
    """Fragments and surroundings stored, as in production, on one cache backend."""
    return cache_backend


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write's on-commit hooks, as a real commit does: the content generation moves."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(db):
    """Two live installments of a series in one section, by one author, with one tag and a
    credited lead picture; `other` links to `story` as an editor's pick."""
    section = make_section(name="Europe", slug="europe")
    series = Series.objects.create(name="Diplomacy Watch", slug="diplomacy-watch")
    author = make_author(name="Ana Novak", slug="ana-novak")
    image = make_image(credit="Agency One")
    build_renditions(image)
    shared = {"status": Status.PUBLISHED, "section": section, "series": series, "author": author}
    story = make_article(headline="Talks resume in Vienna", lead_image=image, **shared)
    other = make_article(headline="Envoys meet again", **shared)
    story.tags.set(["Vienna"])
    other.tags.set(["Vienna"])
    RelatedArticle.objects.create(article=other, related=story, order=0)
    return {"story": story, "other": other, "section": section, "series": series,
            "author": author, "image": image}  # fmt: skip


def pages(world) -> dict[str, str]:
    return {
        "home": "/",
        "section": world["section"].get_absolute_url(),
        "series": world["series"].get_absolute_url(),
        "author": world["author"].get_absolute_url(),
        "tag": "/tags/vienna/",
        "other story": world["other"].get_absolute_url(),
        "feed": "/feeds/rss/",
    }


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def visit_all(client, world) -> None:
    """Every page once: all their fragments and surroundings are stored."""
    for url in [*pages(world).values(), world["story"].get_absolute_url()]:
        html(client, url)


def test_a_page_takes_its_teasers_from_the_store(client, store, world):
    """Proof that the stored fragment is what the page shows: a doctored copy shows up."""
    html(client, "/")
    key = fragments.teaser(world["story"]).key
    assert "Talks resume in Vienna" in cache.get(key)
    cache.set(key, "<p>Stored teaser</p>")
    assert "Stored teaser" in html(client, "/")


def test_fragments_carry_nothing_of_the_request(client, store, world):
    """No CSP nonce, no CSRF token, no host: the same bytes serve every reader."""
    response = client.get(world["story"].get_absolute_url(), HTTP_HOST="localhost")
    nonces = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    stored = [
        cache.get(fragments.teaser(world["other"]).key),
        cache.get(fragments.teaser(world["story"], eager_image=True).key) or "",
    ]
    stored = [s for s in stored if s]
    assert stored
    for text in stored:
        assert "csrfmiddlewaretoken" not in text and "localhost" not in text
        assert not any(nonce in text for nonce in nonces)


def test_a_new_headline_shows_everywhere_at_once(client, store, world, committed, publisher):
    visit_all(client, world)
    story = world["story"]
    old_teaser = fragments.teaser(story).key
    story.headline = "Talks collapse in Vienna"
    with committed():
        services.save_article(article=story, user=publisher)
    assert cache.get(old_teaser) is not None  # nothing was invalidated
    for name, url in pages(world).items():
        text = html(client, url)
        assert "Talks collapse in Vienna" in text, name
        assert "Talks resume in Vienna" not in text, name


def test_a_renamed_author_and_a_new_byline_show_on_the_story(client, store, world, committed):
    url = world["story"].get_absolute_url()
    assert "Ana Novak" in html(client, url)
    author = world["author"]
    author.name = "Ana Novak-Horvat"
    with committed():
        author.save()
    assert "Ana Novak-Horvat" in html(client, url)
    with committed():
        world["story"].bylines.create(author=make_author(name="Ivo Petrov"), order=1)
    text = html(client, url)
    assert re.search(
        r'class="byline">By <a [^>]*>Ana Novak-Horvat</a> and <a [^>]*>Ivo Petrov<', text
    )


def test_a_new_picture_credit_shows_in_teasers_and_bodies(client, store, world, committed):
    image = world["image"]
    with_picture = make_article(
        status=Status.PUBLISHED, section=world["section"],
        body=f'<figure class="image"><img src="{image.file.url}" alt="x"></figure><p>Text.</p>',
    )  # fmt: skip
    assert "Agency One" in html(client, "/")
    assert "Agency One" in html(client, with_picture.get_absolute_url())
    image.credit = "Agency Two"
    with committed():
        image.save()
    for url in ["/", with_picture.get_absolute_url(), world["section"].get_absolute_url()]:
        text = html(client, url)
        assert "Agency Two" in text and "Agency One" not in text, url


def test_a_correction_shows_on_the_story_at_once(client, store, world, committed):
    url = world["story"].get_absolute_url()
    assert "We misspelt a name." not in html(client, url)
    with committed():
        Correction.objects.create(article=world["story"], text="We misspelt a name.")
    text = html(client, url)
    assert "Corrections and updates" in text and "We misspelt a name." in text


def test_a_new_installment_moves_the_series_box(client, store, world, committed):
    first = world["story"]  # published before `other`
    assert "Installment 1 of 2" in html(client, first.get_absolute_url())
    with committed():
        third = make_article(status=Status.PUBLISHED, headline="A third round",
                             section=world["section"], series=world["series"])  # fmt: skip
    assert "Installment 1 of 3" in html(client, first.get_absolute_url())
    text = html(client, world["other"].get_absolute_url())
    assert "Installment 2 of 3" in text
    assert re.search(rf'Next: <a rel="next" href="{third.get_absolute_url()}">A third round<', text)


def test_an_unpublished_story_leaves_every_page_at_once(client, store, world, committed):
    """With its teasers still stored, a story taken down is on no page and in no feed."""
    visit_all(client, world)
    story = world["story"]
    for name, url in pages(world).items():
        assert "Talks resume in Vienna" in html(client, url), name
    with committed():
        services.unpublish(article=story, user=make_user(superuser=True))
    assert cache.get(fragments.teaser(story).key) is not None  # still stored
    for name, url in pages(world).items():
        assert "Talks resume in Vienna" not in html(client, url), name
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_story_taken_down_without_a_new_generation_still_leaves_the_river(client, store, world):
    """Belt and braces: stored surroundings are only ids, read back through live(); even if
    the content generation did not move (the cache missed the write), the story is gone."""
    url = world["other"].get_absolute_url()
    assert "Talks resume in Vienna" in html(client, url)
    world["story"].status = Status.UNPUBLISHED
    world["story"].save()  # no on-commit hooks: the generation stays as it was
    text = html(client, url)
    assert "Talks resume in Vienna" not in text


def test_a_warm_story_page_makes_fewer_queries_and_renders_the_same(client, store, world):
    url = world["other"].get_absolute_url()
    with CaptureQueriesContext(connection) as cold:
        first = html(client, url)
    with CaptureQueriesContext(connection) as warm:
        second = html(client, url)
    assert len(warm) < len(cold)
    nonce = re.compile(r'nonce="[^"]+"')
    assert nonce.sub("", first) == nonce.sub("", second)


def test_pages_with_fragments_render_when_the_cache_is_down(client, settings, world):
    settings.REMEMBER_VALUES = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }
    with pytest.raises(RedisError):  # the cache really is unreachable
        get_redis_connection("default").ping()
    for url in [*pages(world).values(), world["story"].get_absolute_url()]:
        assert "Talks resume in Vienna" in html(client, url), url
