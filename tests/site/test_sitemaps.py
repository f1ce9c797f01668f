"""Sitemaps and robots.txt, parsed with lxml: what crawlers read."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from lxml import etree

from articles.models import Status
from tests.factories import make_article

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "n": "http://www.google.com/schemas/sitemap-news/0.9"}  # fmt: skip


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content)


def test_sitemap_index_lists_paginated_sitemaps_of_live_stories(client, monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    live = [make_article(status=Status.PUBLISHED) for _ in range(3)]
    hidden = make_article(status=Status.DRAFT)
    index = xml(client, "/sitemap.xml")
    maps = index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    story_maps = [m for m in maps if "sitemap-stories.xml" in m]
    assert len(story_maps) == 2 and story_maps[1].endswith("?p=2")
    locations = []
    for url in story_maps:
        path = url.replace("http://testserver", "")
        locations += xml(client, path).xpath("//s:url/s:loc/text()", namespaces=NS)
    assert sorted(locations) == sorted(f"http://testserver{a.get_absolute_url()}" for a in live)
    assert all(hidden.slug not in loc for loc in locations)


def test_news_sitemap_lists_only_the_last_48_hours(client):
    recent = make_article(status=Status.PUBLISHED, headline="Fresh")
    make_article(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=3))
    root = xml(client, "/news-sitemap.xml")
    assert root.xpath("//s:url/s:loc/text()", namespaces=NS) == [
        f"http://testserver{recent.get_absolute_url()}"
    ]
    assert root.xpath("//n:title/text()", namespaces=NS) == ["Fresh"]
    assert root.xpath("//n:publication/n:name/text()", namespaces=NS)


@override_settings(ALLOWED_HOSTS=["www.example.org"])
def test_robots_txt_points_at_the_sitemaps(client):
    text = client.get("/robots.txt", HTTP_HOST="www.example.org").content.decode()
    assert "Sitemap: http://www.example.org/sitemap.xml" in text
    assert "Sitemap: http://www.example.org/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /preview/" in text


def test_a_control_character_in_a_headline_does_not_break_the_news_sitemap(client):
    """XML cannot carry most control characters: one pasted into a headline is dropped."""
    make_article(status=Status.PUBLISHED, headline="Peace\x0btalks <resume> & more")
    news = xml(client, "/news-sitemap.xml")  # well-formed, or this raises
    assert news.findtext(".//n:title", namespaces=NS) == "Peacetalks <resume> & more"
