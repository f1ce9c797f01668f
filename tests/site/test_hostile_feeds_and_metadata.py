"""Hostile rich text in feeds and JSON-LD: the HTML a feed carries is sanitised, and the data
in JSON-LD stays data. Feed readers render an item's description as HTML, with none of our
page's defences, so it must be inert by itself."""

import json
import re

import lxml.html
import pytest
from lxml import etree

from newsroom import richtext
from newsroom.models import SiteSettings
from tests import hostile_newsroom
from tests.xss_vectors import nastiest, problems_in

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def html_in_feed(xml: bytes) -> list[str]:
    """The parts of an RSS or Atom document that feed readers render as HTML."""
    root = etree.fromstring(xml)
    texts = [item.findtext("description") or "" for item in root.iter("item")]
    for entry in root.iter(f"{ATOM}entry"):
        texts += [
            element.text or ""
            for element in entry
            if element.tag in (f"{ATOM}summary", f"{ATOM}content") and element.get("type") == "html"
        ]
    return texts


@pytest.fixture
def newsroom():
    return hostile_newsroom.build()


def test_every_feed_carries_only_sanitised_html(client, newsroom):
    checked, problems = 0, {}
    for path in newsroom.feed_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        fragments = html_in_feed(response.content)
        assert fragments, path
        for fragment in fragments:
            checked += 1
            if found := problems_in(fragment):
                problems.setdefault(path, []).extend(found)
    assert problems == {}
    # Each story in the site, section, two author and two tag feeds, half in the series feed,
    # each in RSS and Atom, preview and full text; and every correction.
    stories = hostile_newsroom.STORIES
    assert checked == 4 * (6 * stories + stories // 2) + stories


def test_the_sitemaps_stay_well_formed(client, newsroom):
    sitemaps = ("stories", "sections", "series", "authors", "tags")
    for path in ("/sitemap.xml", *(f"/sitemap-{s}.xml" for s in sitemaps), "/news-sitemap.xml"):
        response = client.get(path)
        assert response.status_code == 200, path
        etree.fromstring(response.content)  # well-formed XML, or this raises


def test_a_correction_reads_in_the_feed_exactly_as_typed(client, newsroom):
    """A correction is plain text: escaped markup in it stays visible text in the feed and
    never turns into live markup on the way."""
    root = etree.fromstring(client.get("/corrections/feed/").content)
    shown = sorted(
        lxml.html.fragment_fromstring(item.findtext("description"), create_parent="div")
        .text_content() for item in root.iter("item")
    )  # fmt: skip
    # As typed, less the control characters XML cannot carry.
    typed = sorted(
        re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", c.text)
        for s in newsroom.stories
        for c in s.corrections.all()
    )
    escaped = next(v.html for v in nastiest() if v.html.startswith("&lt;img"))
    assert shown == typed and all(escaped in text for text in shown)


def test_json_ld_holds_the_hostile_text_as_data_and_cannot_close_its_script(client, newsroom):
    headlines = []
    for story in newsroom.stories:
        page = client.get(story.get_absolute_url()).content.decode()
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        # The newsroom (in the head), the article and its breadcrumbs, no more.
        assert len(blocks) == 3, story.slug
        # Those three, site.js and the audience beacon: nothing broke out.
        assert page.count("<script") == 5
        for block in blocks:
            assert "<" not in block and ">" not in block
        article = next(d for d in map(json.loads, blocks) if "headline" in d)
        assert article["headline"] == story.headline[:110]  # carried intact, as data
        headlines.append(article["headline"])
        assert [c["text"] for c in article["correction"]] == [
            richtext.plain_text(c.text) for c in story.corrections.all()
        ]
        assert article["image"]["caption"] == story.social_image.caption
    assert any("</script><script>" in headline for headline in headlines)


def test_the_admin_stored_the_vectors_as_typed_in_plain_fields(newsroom):
    """The hostile text reached the database (the pages escape it; nothing dropped it on the
    way in), and rich text was sanitised on save."""
    story = newsroom.stories[0]
    assert nastiest()[0].html in story.headline  # control characters and all
    assert "<script" in story.dek and "<script" not in story.body.lower()
    assert "<script" in newsroom.authors[0].bio and "<script" in newsroom.section.description
    assert newsroom.authors[1].website == hostile_newsroom.BREAKOUT_URL
    assert SiteSettings.get_solo().x_url == hostile_newsroom.BREAKOUT_URL
    wire = newsroom.wire  # caption, credit and copyright came from the photo's IPTC block
    assert all("<script>" in text for text in (wire.caption, wire.credit, wire.copyright_notice))
    assert all(problems_in(s.body) == [] and problems_in(s.teaser) == []
               for s in newsroom.stories)  # fmt: skip
