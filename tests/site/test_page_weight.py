"""Page weight: every page type stays under a budget of HTML bytes with a full page of long
stories, each with a lead picture. A teaser carries a short preview and a few short
paragraphs behind "Keep reading", not the story's opening in full."""

import itertools

import pytest
from lxml import html as lxml_html

from articles.models import Article, RelatedArticle, Status
from media.renditions import build_renditions
from sections.models import Series
from tests.factories import make_article, make_author, make_section
from tests.images import jpeg_bytes, make_image

pytestmark = pytest.mark.django_db

# Bytes of HTML (uncompressed) per page type: what this data measured with bounded previews,
# and about 10% headroom (the figures, before and after, are in docs/performance.md). Search
# lists highlighted snippets instead of previews.
BUDGET = {
    "home": 50_000,
    "story": 35_000,
    "section": 60_000,
    "series": 60_000,
    "author": 60_000,
    "tag": 60_000,
    "search": 20_000,
    "rss": 65_000,
    "atom": 66_000,
}
PAGE = 20  # stories on a listing page

# A newsroom's sentences: 60 to 150 characters, as in a wire story.
SENTENCES = [
    "Negotiators from both delegations met again on Tuesday in a hotel near the border.",
    "Neither side would say what was on the table, but two officials described the talks "
    "as practical rather than hopeful.",
    "The exchange of prisoners agreed last month has been delayed twice.",
    "A spokesperson for the foreign ministry said the government remained open to mediation "
    "by any country that both parties trust.",
    "Diplomats in the capital expect a decision before the end of the parliamentary session.",
    "Critics of the agreement argue that it leaves the hardest questions for later.",
    "The ministry did not answer a request for comment on the grain corridor.",
    "Observers from the Red Cross have visited three of the camps since the summer.",
]


def paragraph(n: int) -> str:
    sentences = itertools.islice(itertools.cycle(SENTENCES), n, n + 3 + n % 3)
    link = ' <a href="https://example.org/report">Read the report</a>.' if n % 4 == 0 else ""
    return f"<p>{' '.join(sentences)}{link}</p>"


LONG_BODY = "".join(paragraph(n) for n in range(20))


@pytest.fixture
def full_pages():
    """A section, series, author and tag with a page and a half of long stories, all with the
    same lead picture (its renditions made once), and a story with a river of six."""
    picture = make_image(jpeg_bytes(size=(1600, 900)))
    build_renditions(picture)
    section = make_section(name="Diplomacy")
    series = Series.objects.create(name="Diplomacy Watch", slug="diplomacy-watch")
    author = make_author(name="Nora Haddad")
    stories = []
    for n in range(PAGE + PAGE // 2):
        story = make_article(
            status=Status.PUBLISHED,
            headline=f"Ceasefire talks resume for a third week, round {n}",
            dek="Delegations meet near the border as the prisoner exchange stalls.",
            body=LONG_BODY,
            section=section,
            series=series,
            author=author,
            lead_image=picture,
        )
        story.tags.set(["Ceasefire"])
        stories.append(story)
    for order, related in enumerate(stories[1:7]):
        RelatedArticle.objects.create(article=stories[0], related=related, order=order)
    return {
        "home": "/",
        "story": stories[0].get_absolute_url(),
        "section": section.get_absolute_url(),
        "series": series.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": "/tags/ceasefire/",
        "search": "/search/?q=ceasefire",
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
    }


def test_every_page_type_stays_within_its_weight_budget(client, full_pages):
    sizes = {}
    for page, url in full_pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[page] = len(response.content)
    print(sizes)
    over = {page: size for page, size in sizes.items() if size > BUDGET[page]}
    assert over == {}, sizes


def test_a_listing_carries_bounded_previews_of_long_stories(client, full_pages):
    """Twenty long stories on a section page: each teaser shows a short preview and keeps a
    few short paragraphs behind "Keep reading", not the stories' openings in full."""
    doc = lxml_html.fromstring(client.get(full_pages["section"]).content)
    teasers = doc.xpath('//article[@class="teaser"]')
    assert len(teasers) == PAGE
    for teaser in teasers:
        preview = teaser.xpath('.//div[@class="preview"]')[0]
        more = teaser.xpath('.//details[@class="keep-reading"]/div[@class="more"]')[0]
        assert 0 < len(preview.text_content()) <= Article.PREVIEW_CHARS
        assert 0 < len(more.text_content()) <= Article.MORE_CHARS
        assert len(more.xpath("./p")) <= Article.MORE_PARAGRAPHS
