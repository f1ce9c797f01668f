"""When a service fails, readers still get pages and editors still save: no 500."""

import pytest
import redis
from django.urls import reverse
from django_redis import get_redis_connection

from articles.models import Status
from tests.admin_forms import change_form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# A Redis that refuses every connection (nothing listens on port 1).
DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",  # as production (newsroom/settings)
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = DEAD_REDIS
    settings.PAGE_CACHE = True
    with pytest.raises(redis.RedisError):  # the cache really is unreachable
        get_redis_connection("default").ping()
    yield


def test_readers_get_pages_when_redis_is_down(client, redis_down):
    story = make_article(status=Status.PUBLISHED, headline="Still readable")
    story.tags.set(["Ukraine"])
    urls = ["/", story.get_absolute_url(), story.section.get_absolute_url(), "/tags/ukraine/",
            "/search/?q=readable", "/feeds/rss/", "/sitemap.xml"]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Still readable" in client.get("/").content.decode()


def test_readers_can_sign_up_when_redis_is_down(
    client, redis_down, django_capture_on_commit_callbacks
):
    """The per-IP limit lives in the cache: without it the form stays open, it never fails."""
    from tests.newsletters.helpers import make_newsletter

    newsletter = make_newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletters/subscribe/",
            {"email": "reader@example.org", "newsletter": [newsletter.slug]},
        )
    assert response.status_code == 200
    assert newsletter.subscriptions.filter(subscriber__email="reader@example.org").exists()


def test_editors_can_save_and_publish_when_redis_is_down(
    client, redis_down, publisher, django_capture_on_commit_callbacks
):
    story = make_article(status=Status.APPROVED, headline="Before")
    client.force_login(publisher)
    change = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(client.get(change))
    data["headline"] = "Saved without Redis"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, data).status_code == 302
        workflow = reverse("admin:articles_article_workflow", args=[story.pk, "publish"])
        assert client.post(workflow, {"comment": ""}).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Saved without Redis" and story.status == Status.PUBLISHED
    settings_url = reverse("admin:newsroom_sitesettings_change")
    response = client.post(settings_url, {"site_name": "Renamed", "tagline": ""})
    assert response.status_code == 302
