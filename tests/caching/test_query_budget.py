"""Every public page makes a fixed number of SQL queries, whatever a story carries and however
big the archive is.

Counted for a cold page: every story has just changed, so nothing remembered of a story is
left. The site-wide pieces (site settings, navigation, the schedule) stay cached, as they do
in production, where a change to stories does not touch them. After a complete cache flush
the first page of all pays up to 4 more queries for them (checked below).

Counted warm too: the same page again with nothing changed, the story's river and series
box remembered (articles.reading, caching.values) and its fragments stored
(caching.fragments)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Correction, RelatedArticle, Status
from caching.invalidation import changed
from media.renditions import build_renditions
from sections.models import Series
from tests.factories import make_article, make_author, make_section
from tests.images import make_image

pytestmark = pytest.mark.django_db

# The story page's tenth query is the newsletters its sign-up form offers (series, section);
# its sources are one query of those it remembers (articles.reading).
BUDGET = {"article": 10, "home": 12, "section": 8, "series": 8, "author": 8, "tag": 8, "feed": 6}


def story_with(count: int, *, series, section, author):
    """A published story with `count` of every relation (bylines, tags, related stories,
    corrections, body images), in a series with `count` installments."""
    lead = make_image()
    build_renditions(lead)
    body_images = [make_image() for _ in range(min(count, 3))]
    body = "".join(
        f'<figure class="image"><img src="{i.file.url}" alt="x"></figure><p>Para.</p>'
        for i in body_images
    )
    story = make_article(status=Status.PUBLISHED, series=series, section=section, author=author,
                         lead_image=lead, body=body or "<p>Text.</p>")  # fmt: skip
    for n in range(1, count):
        story.bylines.create(author=make_author(), order=n)
    story.tags.set([f"Topic {n}" for n in range(count)] + ["Shared"])
    for n in range(count):
        other = make_article(status=Status.PUBLISHED, series=series, section=section,
                             lead_image=make_image())  # fmt: skip
        RelatedArticle.objects.create(article=story, related=other, order=n)
        other.tags.set(["Shared"])
        Correction.objects.create(article=story, text=f"Correction {n}")
    return story


def queries(client, url, *, flush: bool = False, warm: bool = False) -> int:
    client.get("/")  # the site-wide pieces are cached, as on a running site
    if flush:
        cache.clear()
    elif warm:
        client.get(url)  # a reader was here before, in this content generation
    else:
        # Every story just changed: nothing remembered of any story is left.
        stories = {f"story-{pk}" for pk in Article.objects.values_list("pk", flat=True)}
        changed(keys={"stories", *stories}, hard=True)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture(autouse=True)
def surroundings_cache(settings):
    """As in production: what a story page can remember is remembered."""
    settings.REMEMBER_VALUES = True


@pytest.fixture
def stories():
    from newsroom.models import SiteSettings

    SiteSettings.get_solo()  # a running site has its settings row
    result = {}
    for count in (1, 12):
        series = Series.objects.create(name=f"Series {count}", slug=f"series-{count}")
        section = make_section(parent=make_section())
        author = make_author()
        result[count] = story_with(count, series=series, section=section, author=author)
    return result


@pytest.mark.parametrize("count", [1, 12])
def test_page_query_counts_stay_within_budget(client, stories, count):
    story = stories[count]
    author = story.bylines.get(order=0).author
    urls = {
        "article": story.get_absolute_url(),
        "home": "/",
        "section": story.section.get_absolute_url(),
        "series": story.series.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": "/tags/shared/",
        "feed": "/feeds/rss/?full=1",
    }
    counts = {page: queries(client, url) for page, url in urls.items()}
    print(count, counts)
    over = {page: n for page, n in counts.items() if n > BUDGET[page]}
    assert over == {}, counts


def test_query_counts_do_not_grow_with_relations(client, stories):
    few, many = stories[1], stories[12]
    assert queries(client, few.get_absolute_url()) == queries(client, many.get_absolute_url())
    assert queries(client, few.series.get_absolute_url()) == queries(
        client, many.series.get_absolute_url()
    )


def test_after_a_cache_flush_the_site_wide_pieces_cost_at_most_four_queries(client, stories):
    """Site settings, navigation, and the next scheduled change (two index reads), which the
    story page's stored river may not outlive."""
    url = stories[12].get_absolute_url()
    assert queries(client, url, flush=True) <= queries(client, url) + 4


@pytest.mark.parametrize("count", [1, 12])
def test_a_warm_story_page_makes_four_queries(client, stories, count):
    """Once its bylines, tags, corrections, sources, series box and river are stored for this
    generation, a story page makes four queries instead of ten: the story, the river and
    series neighbours (still live()), its body images, and the renditions. (Cold, the tenth
    is the newsletters its sign-up form offers.)"""
    url = stories[count].get_absolute_url()
    assert queries(client, url) == 10
    assert queries(client, url, warm=True) == 4


@pytest.mark.parametrize("page", ["home", "section", "series", "tag", "feed"])
def test_warm_listings_make_as_many_queries_as_cold_ones(client, stories, page):
    """Stored teasers need the stories they show (their keys are made of them): a warm
    listing reads the same rows, and draws nothing (a section or series page also keeps the
    newsletters its sign-up form offers, one query fewer)."""
    story = stories[12]
    url = {"home": "/", "section": story.section.get_absolute_url(),
           "series": story.series.get_absolute_url(), "tag": "/tags/shared/",
           "feed": "/feeds/rss/?full=1"}[page]  # fmt: skip
    cold, warm = queries(client, url), queries(client, url, warm=True)
    assert warm == cold - (1 if page in ("section", "series") else 0)
