"""A newsletter click lands on `?utm_source=newsletter`: our page cache and Varnish
(deploy/varnish/default.vcl, a real varnishd) keep one copy of the page whatever the campaign
tags, so the redirect never costs a reader a cached page."""

import pytest
from django.core.cache import cache

from articles.models import Status
from caching import store
from tests.caching.test_varnish import fetch, varnish  # noqa: F401
from tests.factories import make_article


@pytest.mark.django_db
def test_campaign_tags_are_served_the_page_cache_s_copy(client, settings):
    settings.PAGE_CACHE = True
    cache.clear()
    store.clear()
    story = make_article(status=Status.PUBLISHED, headline="Talks resume")
    url = story.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    for tags in ("?utm_source=newsletter", "?utm_source=newsletter&utm_medium=email"):
        response = client.get(url + tags)
        assert response["X-Cache"] == "hit", tags
        assert b"Talks resume" in response.content
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_campaign_tags_are_served_varnish_s_copy(varnish):  # noqa: F811
    story = make_article(status=Status.PUBLISHED, headline="Talks resume")
    url = varnish + story.get_absolute_url()
    assert fetch(url)[:2] == (200, "miss")
    for tags in (
        "?utm_source=newsletter",
        "?utm_source=newsletter&utm_medium=email&utm_campaign=week-12",
        "?utm_campaign=x&utm_source=newsletter",
    ):
        status, cached, body = fetch(url + tags)
        assert (status, cached) == (200, "hit"), tags
        assert "Talks resume" in body
    # A parameter that is not a campaign tag still reaches Django as it was.
    assert fetch(url + "?utm_source=newsletter&x=1")[:2] == (200, "miss")
    assert fetch(url + "?x=1")[:2] == (200, "hit")
