"""The listing layer: a section, series, author or tag lists the same stories on its page, in
its feed and (by being there at all) in the sitemap; pages are cut without counting."""

from datetime import timedelta

import feedparser
import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from articles.listings import Uncounted, UncountedPaginator, stories_of
from articles.models import Status
from sections.models import Series
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

# Which live stories belong to what: story i is in SECTIONS[i] (regions, its subsection
# europe, or elsewhere), in the series if i is in SERIES, and so on. Stories 3 and 4 share a
# publish time, so the tie-break must agree too.
SECTIONS = ["regions", "europe", "elsewhere", "europe", "regions", "elsewhere", "europe"]
SERIES = {0, 2, 4, 6}
BY_AUTHOR = {0, 1, 2, 4, 5}
TAGGED = {1, 2, 3, 5, 6}


@pytest.fixture
def newsroom():
    regions = make_section(slug="regions")
    sections = {
        "regions": regions,
        "europe": make_section(slug="europe", parent=regions),
        "elsewhere": make_section(slug="elsewhere"),
    }
    series = Series.objects.create(name="Diplomacy Watch", slug="diplomacy-watch")
    author, other_author = make_author(slug="the-author"), make_author()
    now = timezone.now()
    live = []
    for i, section in enumerate(SECTIONS):
        hours = 3 if i == 4 else i + 1
        story = make_article(status=Status.PUBLISHED, section=sections[section],
                             series=series if i in SERIES else None,
                             author=author if i in BY_AUTHOR else other_author,
                             publish_at=now - timedelta(hours=hours))  # fmt: skip
        story.tags.set(["Ukraine"] if i in TAGGED else ["Elsewhere"])
        live.append(story)
    # Hidden stories that belong to every listing: none may show anywhere.
    for status, times in [
        (Status.DRAFT, {}),
        (Status.PUBLISHED, {"publish_at": now + timedelta(hours=1)}),  # scheduled
        (Status.PUBLISHED, {"publish_at": now - timedelta(days=2),
                            "unpublish_at": now - timedelta(hours=1)}),  # expired
    ]:  # fmt: skip
        story = make_article(status=status, section=sections["europe"], series=series,
                             author=author, **times)  # fmt: skip
        story.tags.set(["Ukraine"])
    return {"live": live, "sections": sections, "series": series, "author": author}


def newest_first(stories):
    return [s.get_absolute_url() for s in sorted(stories, key=lambda s: (s.publish_at, s.pk),
                                                 reverse=True)]  # fmt: skip


def page_links(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    doc = lxml_html.fromstring(response.content)
    return doc.xpath('//article[contains(@class, "teaser")]//h3/a/@href')


def feed_links(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return [
        e.link.removeprefix("http://testserver") for e in feedparser.parse(response.content).entries
    ]


def sitemap_links(client, kind):
    root = etree.fromstring(client.get(f"/sitemap-{kind}.xml").content)
    return [
        u.removeprefix("http://testserver")
        for u in root.xpath("//s:loc/text()", namespaces=SITEMAP)
    ]


def test_page_feed_and_sitemap_of_each_listing_agree(client, newsroom):
    """Section (its subsection's stories included), series, author and tag: the page and its
    RSS and Atom feeds list exactly the live stories that belong, newest first."""
    live, sections = newsroom["live"], newsroom["sections"]
    from taggit.models import Tag

    ukraine = Tag.objects.get(slug="ukraine")
    listings = {
        "regions": (sections["regions"], [s for i, s in enumerate(live)
                                          if SECTIONS[i] in ("regions", "europe")],
                    "/sections/regions/", "/feeds/sections/regions/", "sections"),
        "europe": (sections["europe"], [s for i, s in enumerate(live) if SECTIONS[i] == "europe"],
                   "/sections/europe/", "/feeds/sections/europe/", "sections"),
        "series": (newsroom["series"], [s for i, s in enumerate(live) if i in SERIES],
                   "/series/diplomacy-watch/", "/feeds/series/diplomacy-watch/", "series"),
        "author": (newsroom["author"], [s for i, s in enumerate(live) if i in BY_AUTHOR],
                   "/authors/the-author/", "/feeds/authors/the-author/", "authors"),
        "tag": (ukraine, [s for i, s in enumerate(live) if i in TAGGED],
                "/tags/ukraine/", "/feeds/tags/ukraine/", "tags"),
    }  # fmt: skip
    for name, (subject, belongs, page_url, feed_url, sitemap) in listings.items():
        expected = newest_first(belongs)
        assert page_links(client, page_url) == expected, name
        assert feed_links(client, f"{feed_url}rss/") == expected, name
        assert feed_links(client, f"{feed_url}atom/") == expected, name
        assert [s.get_absolute_url() for s in stories_of(subject)] == expected, name
        assert page_url in sitemap_links(client, sitemap), name
    assert feed_links(client, "/feeds/rss/") == newest_first(live)


def test_the_sitemaps_leave_out_listings_with_no_live_story(client, newsroom):
    """A section, series, author or tag whose stories are all hidden has no page worth
    crawling, and a tag of hidden stories only must not even be named."""
    empty_section = make_section(slug="empty")
    empty_series = Series.objects.create(name="Coming soon", slug="coming-soon")
    hidden_author = make_author(slug="hidden-author")
    secret = make_article(status=Status.DRAFT, section=empty_section, series=empty_series,
                          author=hidden_author)  # fmt: skip
    secret.tags.set(["Secret plan"])
    assert "/sections/empty/" not in sitemap_links(client, "sections")
    assert "/series/coming-soon/" not in sitemap_links(client, "series")
    assert "/authors/hidden-author/" not in sitemap_links(client, "authors")
    assert "/tags/secret-plan/" not in sitemap_links(client, "tags")
    assert "/tags/ukraine/" in sitemap_links(client, "tags")
    assert sorted(sitemap_links(client, "stories")) == sorted(newest_first(newsroom["live"]))


def test_the_uncounted_paginator_never_counts(newsroom):
    """Each page is one query, with no COUNT; one extra row says whether another follows."""
    paginator = UncountedPaginator(stories_of(), 3)
    with CaptureQueriesContext(connection) as captured:
        pages = [paginator.page(n) for n in (1, 2, 3)]
    assert len(captured) == 3
    assert not any("COUNT" in q["sql"].upper() for q in captured)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [p.has_next() for p in pages] == [True, True, False]
    assert [p.has_previous() for p in pages] == [False, True, True]
    assert pages[1].next_page_number() == 3 and pages[1].previous_page_number() == 1
    assert (pages[2].start_index(), pages[2].end_index()) == (7, 7)
    with pytest.raises(EmptyPage):
        paginator.page(4)
    with pytest.raises(Uncounted):
        paginator.count  # noqa: B018 - asking is the mistake
    with pytest.raises(Uncounted):
        paginator.num_pages  # noqa: B018


def test_a_full_last_page_has_no_next_and_an_empty_listing_has_one_page(newsroom):
    assert not UncountedPaginator(stories_of(), 7).page(1).has_next()
    empty = UncountedPaginator(stories_of(make_author()), 20).page(1)
    assert list(empty) == [] and not empty.has_other_pages()
    assert (empty.start_index(), empty.end_index()) == (0, 0)


def test_in_a_template_an_uncounted_total_is_simply_unknown(newsroom):
    page = UncountedPaginator(stories_of(), 3).page(2)
    rendered = Template("{{ page.number }}/{{ page.paginator.num_pages }}").render(
        Context({"page": page})
    )
    assert rendered == "2/"


def test_listing_pages_page_without_counting(client):
    """21 stories: page 1 links to an older page 2, which links back and says no total."""
    section = make_section(slug="busy")
    for _ in range(21):
        make_article(status=Status.PUBLISHED, section=section)
    with CaptureQueriesContext(connection) as captured:
        first = lxml_html.fromstring(client.get("/sections/busy/").content)
        second = lxml_html.fromstring(client.get("/sections/busy/?page=2").content)
    assert not any("COUNT" in q["sql"].upper() for q in captured)
    assert first.xpath('//nav[@class="pagination"]//a/@href') == ["?page=2"]
    assert second.xpath('//nav[@class="pagination"]//a[@rel="prev"]/@href') == ["?page=1"]
    assert second.xpath('//nav[@class="pagination"]/span/text()') == ["Page 2"]
    assert len(second.xpath('//article[contains(@class, "teaser")]')) == 1
    assert client.get("/sections/busy/?page=3").status_code == 404


def test_the_search_pager_keeps_the_query_and_shows_the_total(client):
    for _ in range(21):
        make_article(status=Status.PUBLISHED, headline="Peace talks")
    doc = lxml_html.fromstring(client.get("/search/?q=peace").content)
    assert doc.xpath('//nav[@class="pagination"]/span/text()') == ["Page 1 of 2"]
    assert doc.xpath('//nav[@class="pagination"]//a[@rel="next"]/@href') == ["?q=peace&page=2"]
    assert doc.xpath('//nav[@class="pagination"]//a/text()') == ["Next"]
