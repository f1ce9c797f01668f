"""Sponsored and partner content is never mistaken for the newsroom's journalism: it names its
sponsor, says so on every listing, page, feed and email, and no newsletter sends it unless the
newsletter chose to; opinion and analysis carry the note the site chose."""

import html
from datetime import time, timedelta

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from articles import services
from articles.models import ArticleType, Status
from newsletters import issue_making
from newsletters.issue_email import render_parts
from newsletters.models import Cadence, Source
from newsroom.models import SiteSettings
from sections.models import Series
from tests.admin_forms import add_story, change_form_data, change_url, logged_in
from tests.factories import make_article, make_author, make_section
from tests.newsletters.issue_factories import approved_story, make_newsletter

pytestmark = pytest.mark.django_db

DISCLOSURE = "Paid for by Acme Energy. The newsroom's journalists were not involved."


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


@pytest.fixture
def sponsored():
    """A live sponsored story in a series, a section and a tag, by a named author."""
    series = Series.objects.create(name="Energy Futures", slug="energy-futures")
    story = make_article(
        status=Status.PUBLISHED, headline="The grid of tomorrow", series=series,
        section=make_section(name="Business", slug="business"),
        article_type=ArticleType.SPONSORED, sponsor_name="Acme Energy",
        sponsor_url="https://acme.example/", author=make_author(name="Sam Ad", slug="sam-ad"),
    )  # fmt: skip
    story.tags.add("grids")
    return story


def listing_urls(story) -> dict[str, str]:
    return {
        "home": "/",
        "section": story.section.get_absolute_url(),
        "series": story.series.get_absolute_url(),
        "author": story.bylines.get().author.get_absolute_url(),
        "tag": reverse("tags:detail", kwargs={"slug": "grids"}),
        "search": "/search/?q=grid",
    }


def test_a_sponsored_story_is_labelled_on_every_listing(client, sponsored):
    for name, url in listing_urls(sponsored).items():
        doc = page(client, url)
        [teaser] = [
            t for t in doc.xpath('//article[contains(@class, "teaser")]')
            if "The grid of tomorrow" in t.text_content()
        ]  # fmt: skip
        assert "sponsored" in teaser.get("class"), name
        [label] = teaser.xpath('.//p[contains(@class, "sponsored-label")]')
        assert label.text_content().startswith("Sponsored | Business"), name
        assert teaser.xpath('string(.//p[@class="sponsor-line"])') == "Paid for by Acme Energy"


def test_partner_content_says_who_it_was_made_with(client):
    story = make_article(status=Status.PUBLISHED, article_type=ArticleType.PARTNER,
                         sponsor_name="City Museum")  # fmt: skip
    doc = page(client, story.section.get_absolute_url())
    assert doc.xpath('string(//p[@class="sponsor-line"])') == "In partnership with City Museum"
    assert "Partner content |" in doc.xpath('string(//p[contains(@class, "sponsored-label")])')


def test_the_story_page_carries_the_label_and_the_disclosure(client, sponsored):
    doc = page(client, sponsored.get_absolute_url())
    header = doc.xpath('//article[@class="story"]/header')[0]
    assert "Sponsored | Business" in header.xpath('string(.//p[contains(@class, "label")])')
    [disclosure] = header.xpath('.//p[@class="disclosure"]')
    assert disclosure.text_content() == DISCLOSURE
    [link] = disclosure.xpath(".//a")
    assert link.get("href") == "https://acme.example/" and "sponsored" in link.get("rel")


def test_the_disclosure_wording_is_the_sites_choice(client, sponsored):
    site = SiteSettings.get_solo()
    site.sponsored_disclosure = "Advertisement from {sponsor}."
    site.save()
    doc = page(client, sponsored.get_absolute_url())
    assert doc.xpath('string(//p[@class="disclosure"])') == "Advertisement from Acme Energy."


def test_a_news_story_carries_no_label_of_the_kind(client):
    story = make_article(status=Status.PUBLISHED, headline="Plain news")
    doc = page(client, story.get_absolute_url())
    assert not doc.xpath('//*[contains(@class, "sponsored-label")] | //p[@class="disclosure"]')
    assert not doc.xpath('//p[@class="type-note"]')


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_say_sponsored_in_the_title_category_and_description(client, sponsored, kind):
    news = make_article(status=Status.PUBLISHED, headline="Plain news", section=sponsored.section)
    for url in (reverse(f"feeds:latest-{kind}"),
                reverse(f"feeds:section-{kind}", kwargs={"slug": "business"})):  # fmt: skip
        feed = feedparser.parse(client.get(url).content)
        items = {entry.link.rsplit("/", 2)[-2]: entry for entry in feed.entries}
        entry = items[sponsored.slug]
        assert entry.title == "Sponsored: The grid of tomorrow"
        assert "Sponsored" in [tag.term for tag in entry.tags]
        assert DISCLOSURE in html.unescape(entry.summary)
        assert items[news.slug].title == "Plain news"
        assert "Paid for by" not in items[news.slug].summary


def test_google_news_gets_no_sponsored_story_the_sitemap_does(client, sponsored):
    news = make_article(status=Status.PUBLISHED, headline="Plain news")
    news_sitemap = client.get("/news-sitemap.xml").content.decode()
    assert news.get_absolute_url() in news_sitemap
    assert sponsored.get_absolute_url() not in news_sitemap
    assert sponsored.get_absolute_url() in client.get("/sitemap-stories.xml").content.decode()


def test_json_ld_names_the_sponsor(client, sponsored):
    from tests.articles.test_sources import news_article_node, value

    node = news_article_node(client, sponsored.get_absolute_url())
    [sponsor] = node["https://schema.org/sponsor"]
    assert "https://schema.org/Organization" in sponsor["@type"]
    assert value(sponsor, "name") == "Acme Energy"
    assert value(sponsor, "url") == "https://acme.example/"


# --- The sponsor is required --------------------------------------------------------------


def test_the_desk_form_refuses_a_sponsored_story_without_its_sponsor(editor, section):
    client = logged_in(editor)
    author = make_author()
    response = add_story(client, section, author, article_type="sponsored", sponsor_name=" ")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["sponsor_name"] == [
        "Name the sponsor: “Sponsored” stories must say who paid for them."
    ]
    assert not section.articles.exists()

    response = add_story(client, section, author, article_type="sponsored",
                         sponsor_name="Acme Energy", sponsor_url="javascript:alert(1)")  # fmt: skip
    assert "sponsor_url" in response.context["adminform"].form.errors
    assert not section.articles.exists()

    response = add_story(
        client, section, author, article_type="partner", sponsor_name="City Museum",
        sponsor_url="https://museum.example/",
    )  # fmt: skip
    assert response.status_code == 302
    story = section.articles.get()
    assert (story.sponsor_name, story.sponsor_url) == ("City Museum", "https://museum.example/")


def test_changing_a_story_to_sponsored_needs_the_sponsor_too(editor):
    story = make_article(headline="Becomes an advertorial")
    client = logged_in(editor)
    data = change_form_data(client.get(change_url(story)))
    data["article_type"] = "sponsored"
    response = client.post(change_url(story), data)
    assert "sponsor_name" in response.context["adminform"].form.errors
    story.refresh_from_db()
    assert story.article_type == ArticleType.NEWS


def test_the_service_refuses_it_whoever_saves(editor):
    story = make_article()
    story.article_type = ArticleType.PARTNER
    with pytest.raises(ValidationError, match="Name the sponsor"):
        services.save_article(article=story, user=editor)
    story.sponsor_name, story.sponsor_url = "Acme", "javascript:alert(1)"
    with pytest.raises(ValidationError, match="http:// or https://"):
        services.save_article(article=story, user=editor)
    story.refresh_from_db()
    assert story.article_type == ArticleType.NEWS


# --- Newsletters ------------------------------------------------------------------------------


def test_a_sponsored_story_makes_no_issue_unless_the_newsletter_includes_them(publisher):
    plain = make_newsletter(source=Source.SITE)
    including = make_newsletter(source=Source.SITE, include_sponsored=True)
    story = approved_story(article_type=ArticleType.SPONSORED, sponsor_name="Acme Energy")
    services.publish(article=story, user=publisher, email=True)
    assert not plain.issues.exists()
    [issue] = including.issues.all()
    assert list(issue.stories.all()) == [story]
    text, html = render_parts(issue)
    assert DISCLOSURE in text and DISCLOSURE in html


def test_digests_leave_sponsored_stories_out_unless_chosen():
    section = make_section()
    daily = {"source": Source.SECTION, "section": section, "cadence": Cadence.DAILY,
             "send_time": time(7)}  # fmt: skip
    plain = make_newsletter(**daily)
    including = make_newsletter(**daily, include_sponsored=True)
    now = timezone.now()
    news = make_article(status=Status.PUBLISHED, section=section,
                        publish_at=now - timedelta(hours=3))  # fmt: skip
    ad = make_article(status=Status.PUBLISHED, section=section, publish_at=now - timedelta(hours=2),
                      article_type=ArticleType.PARTNER, sponsor_name="City Museum")  # fmt: skip
    since = now - timedelta(days=1)
    assert list(issue_making.stories_for_digest(plain, since=since, now=now)) == [news]
    assert list(issue_making.stories_for_digest(including, since=since, now=now)) == [news, ad]


# --- Opinion and analysis ---------------------------------------------------------------------


def test_opinion_and_analysis_carry_the_sites_note_under_the_byline(client):
    opinion = make_article(status=Status.PUBLISHED, article_type=ArticleType.OPINION)
    analysis = make_article(status=Status.PUBLISHED, article_type=ArticleType.ANALYSIS)
    doc = page(client, opinion.get_absolute_url())
    assert doc.xpath('string(//p[@class="type-note"])') == (
        "Opinion pieces reflect the author's views."
    )
    assert doc.xpath('//p[@class="byline"]/following-sibling::p[@class="type-note"]')
    assert "Opinion |" in doc.xpath('string(//header/p[@class="label"])')

    site = SiteSettings.get_solo()
    site.analysis_note = "Analysis: the author's reading of the facts."
    site.save()
    doc = page(client, analysis.get_absolute_url())
    assert doc.xpath('string(//p[@class="type-note"])') == (
        "Analysis: the author's reading of the facts."
    )
