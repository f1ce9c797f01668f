"""Feeds for the site and each section, series, author and tag: valid, and only live stories."""

import feedparser
import pytest
from lxml import etree

from articles.models import Status
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    live = make_article(status=Status.PUBLISHED, headline="Live story")
    live.tags.set(["Ukraine"])
    hidden = make_article(
        status=Status.DRAFT,
        headline="Hidden story",
        section=live.section,
        author=live.bylines.get().author,
    )
    hidden.tags.set(["Ukraine"])
    return live, hidden


def feed_urls(live):
    author = live.bylines.get().author
    urls = ["/feeds/"]
    urls += [f"/feeds/sections/{live.section.slug}/", f"/feeds/authors/{author.slug}/",
             "/feeds/tags/ukraine/"]  # fmt: skip
    return [f"{base}{kind}/" for base in urls for kind in ("rss", "atom")]


def test_every_feed_is_well_formed_and_lists_only_live_stories(client, stories):
    live, hidden = stories
    for url in feed_urls(live):
        response = client.get(url)
        assert response.status_code == 200, url
        etree.fromstring(response.content)  # well-formed XML, or this raises
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        titles = [entry.title for entry in parsed.entries]
        assert titles == ["Live story"], url
        assert parsed.version in ("rss20", "atom10"), url


def test_feed_items_link_to_the_story_with_its_author(client, stories):
    live, _ = stories
    parsed = feedparser.parse(client.get("/feeds/rss/").content)
    entry = parsed.entries[0]
    assert entry.link.endswith(live.get_absolute_url())
    assert live.bylines.get().author.name in entry.get("author", "")


def test_a_feed_for_something_that_does_not_exist_is_404(client):
    for url in ("/feeds/sections/nope/rss/", "/feeds/tags/nope/atom/", "/feeds/series/nope/rss/"):
        assert client.get(url).status_code == 404


def test_tag_page_lists_live_stories_only(client, stories):
    html = client.get("/tags/ukraine/").content.decode()
    assert "Live story" in html and "Hidden story" not in html


def test_feed_items_carry_the_lead_image_its_credit_and_full_text_on_request(client):
    from newsroom.richtext import KEEP_READING_BREAK
    from tests.images import make_image

    image = make_image()
    make_article(
        status=Status.PUBLISHED,
        lead_image=image,
        body=f"<p>Preview part.</p>{KEEP_READING_BREAK}<p>Only in full.</p>",
    )
    entry = feedparser.parse(client.get("/feeds/rss/").content).entries[0]
    assert "Alex Edelman/Pool via REUTERS" in entry.summary
    assert "Preview part." in entry.summary and "Only in full." not in entry.summary
    enclosure = entry.enclosures[0]
    assert enclosure.href.endswith(image.file.url) and enclosure.type == "image/jpeg"
    assert int(enclosure.length) == image.file_size
    full = feedparser.parse(client.get("/feeds/rss/?full=1").content).entries[0]
    assert "Only in full." in full.summary


def test_links_and_images_inside_feed_items_are_absolute(client):
    from tests.images import make_image

    make_article(status=Status.PUBLISHED, lead_image=make_image(),
                 body='<p>See <a href="/europe/other/">this</a>.</p>')  # fmt: skip
    entry = feedparser.parse(client.get("/feeds/rss/?full=1").content).entries[0]
    assert 'src="http://testserver/media/' in entry.summary
    assert 'href="http://testserver/europe/other/"' in entry.summary
    assert 'src="/' not in entry.summary and 'href="/' not in entry.summary


def test_a_control_character_in_a_story_does_not_break_the_feeds(client, stories):
    """XML cannot carry most control characters; one pasted into a headline or caption is
    dropped from the feed instead of turning it into a server error."""
    live, _ = stories
    live.headline = "Live\x0bstory"
    live.save()
    for url in feed_urls(live):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<title>Livestory</title>" in response.content, url


def test_the_corrections_feed_shows_a_note_as_the_plain_text_it_is(client, stories):
    live, _ = stories
    live.corrections.create(text="We wrote &lt;b&gt; where we meant <i>")
    item = etree.fromstring(client.get("/corrections/feed/").content).find(".//item")
    # Feed readers render the description as HTML: the note must be escaped once.
    assert item.findtext("description") == "We wrote &amp;lt;b&amp;gt; where we meant &lt;i&gt;"
