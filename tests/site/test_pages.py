"""Every reader page type, as a reader (or a crawler) gets it."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from articles.models import Correction, FrontPageSlot, RelatedArticle, Status
from newsroom.models import SiteSettings
from sections.models import Series
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def json_ld(doc, kind):
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        if data["@type"] == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


@pytest.fixture
def series():
    return Series.objects.create(name="Diplomacy Watch", slug="diplomacy-watch", cadence="Weekly")


def test_article_page_shows_everything_a_reader_needs(client, series):
    site = SiteSettings.get_solo()
    site.x_url, site.bluesky_url = "https://x.com/desk", "https://bsky.app/profile/desk"
    site.save()
    europe = make_section(name="Europe", slug="europe")
    writer, reporter = make_author(name="Mara L"), make_author(name="Tom H")
    story = make_article(
        status=Status.PUBLISHED, section=europe, series=series, author=writer,
        kicker="ukraine war", article_type="analysis", headline="Talks go on", dek="Quietly.",
    )  # fmt: skip
    story.bylines.create(author=reporter, role="Reporting by", order=1)
    story.tags.set(["Ukraine"])
    Correction.objects.create(article=story, text="An earlier version misdated the talks.")
    doc = page(client, story.get_absolute_url())
    text = doc.text_content()
    assert "ukraine war" in text and "Analysis | Europe" in " ".join(text.split())
    assert doc.xpath("//h1")[0].text_content() == "Talks go on"
    byline = doc.xpath('//p[@class="byline"]')[0]
    assert [a.get("href") for a in byline.xpath(".//a")] == [
        writer.get_absolute_url(),
        reporter.get_absolute_url(),
    ]
    assert "Reporting by" in byline.text_content()
    published = timezone.localtime(story.publish_at)  # the site's zone, as the page shows it
    assert doc.xpath("//time/@datetime")[0].startswith(f"{published:%Y-%m-%d}")
    assert "misdated" in text
    assert doc.xpath('//ul[@class="tags"]//a/@href') == ["/tags/ukraine/"]
    shares = " ".join(doc.xpath('//section[@class="share"]//a/@href'))
    networks = ("x.com/intent", "facebook.com/sharer", "linkedin.com/sharing", "bsky.app/intent")
    for network in (*networks, "mailto:"):
        assert network in shares
    assert not doc.xpath("//script[@src and not(starts-with(@src, '/static/'))]")  # no 3rd-party
    follow = doc.xpath('//section[contains(@class, "follow")]//a/@href')
    assert "https://x.com/desk" in follow and "https://bsky.app/profile/desk" in follow


def test_series_box_numbers_installments_and_links_neighbours(client, series):
    now = timezone.now()
    first, second, third = (
        make_article(status=Status.PUBLISHED, series=series, publish_at=now - timedelta(days=d))
        for d in (20, 10, 1)
    )
    make_article(status=Status.DRAFT, series=series, publish_at=now - timedelta(days=5))
    doc = page(client, second.get_absolute_url())
    box = doc.xpath('//aside[@class="series-box"]')[0]
    assert "Installment 2 of 3" in box.text_content()
    assert box.xpath('.//a[@rel="prev"]/@href') == [first.get_absolute_url()]
    assert box.xpath('.//a[@rel="next"]/@href') == [third.get_absolute_url()]
    assert "More from Diplomacy Watch" in box.text_content()


def test_river_puts_editor_picks_first_then_series_then_section(client, series):
    section = make_section()
    story = make_article(status=Status.PUBLISHED, section=section, series=series)
    same_section = make_article(status=Status.PUBLISHED, section=section)
    same_series = make_article(status=Status.PUBLISHED, series=series)
    picked = make_article(status=Status.PUBLISHED)
    hidden_pick = make_article(status=Status.DRAFT)
    RelatedArticle.objects.create(article=story, related=hidden_pick, order=0)
    RelatedArticle.objects.create(article=story, related=picked, order=1)
    doc = page(client, story.get_absolute_url())
    river = doc.xpath('//section[@class="river"]//article//h3/a/@href')
    assert river == [
        picked.get_absolute_url(),
        same_series.get_absolute_url(),
        same_section.get_absolute_url(),
    ]


def test_teaser_preview_expands_in_place_without_javascript(client):
    from newsroom.richtext import KEEP_READING_BREAK

    make_article(
        status=Status.PUBLISHED,
        body=f"<p>Before the break.</p>{KEEP_READING_BREAK}<p>After the break.</p>",
    )
    doc = page(client, "/")
    teaser = doc.xpath('//article[@class="teaser"]')[0]
    assert "Before the break." in teaser.xpath('.//div[@class="preview"]')[0].text_content()
    details = teaser.xpath('.//details[@class="keep-reading"]')[0]
    summary = details.xpath("./summary")[0].text_content()
    assert "Keep reading" in summary and "Show less" in summary
    assert "After the break." in details.text_content()
    assert teaser.xpath('.//p[@class="full-story"]/a/@href')


def test_home_shows_editors_picks_first_and_falls_back_to_newest(client):
    older = make_article(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=9))
    newest = make_article(status=Status.PUBLISHED)
    doc = page(client, "/")
    assert doc.xpath('//div[@class="lead"]//h3/a/@href') == [newest.get_absolute_url()]
    FrontPageSlot.objects.create(position=1, article=older)
    doc = page(client, "/")
    assert doc.xpath('//div[@class="lead"]//h3/a/@href') == [older.get_absolute_url()]
    older.status = Status.UNPUBLISHED
    older.save()
    doc = page(client, "/")
    assert doc.xpath('//div[@class="lead"]//h3/a/@href') == [newest.get_absolute_url()]


def test_section_page_lists_its_subsections_and_their_stories(client):
    regions = make_section(name="Regions", slug="regions")
    europe = make_section(name="Europe", slug="europe", parent=regions)
    story = make_article(status=Status.PUBLISHED, section=europe)
    doc = page(client, regions.get_absolute_url())
    assert europe.get_absolute_url() in doc.xpath("//nav//a/@href")
    assert story.get_absolute_url() in doc.xpath("//article//h3/a/@href")


def test_series_page_lists_installments_newest_first(client, series):
    now = timezone.now()
    old = make_article(status=Status.PUBLISHED, series=series, publish_at=now - timedelta(days=7))
    new = make_article(status=Status.PUBLISHED, series=series, publish_at=now - timedelta(days=1))
    doc = page(client, series.get_absolute_url())
    assert doc.xpath("//article//h3/a/@href") == [new.get_absolute_url(), old.get_absolute_url()]


def test_author_page_shows_bio_links_and_stories(client):
    author = make_author(bio="Covers Congress.", x_url="https://x.com/someone")
    story = make_article(status=Status.PUBLISHED, author=author)
    doc = page(client, author.get_absolute_url())
    assert "Covers Congress." in doc.text_content()
    assert "https://x.com/someone" in doc.xpath("//a/@href")
    assert story.get_absolute_url() in doc.xpath("//article//h3/a/@href")


def test_corrections_page_lists_corrections_of_live_stories_only(client):
    live = make_article(status=Status.PUBLISHED, headline="Live one")
    hidden = make_article(status=Status.DRAFT, headline="Hidden one")
    Correction.objects.create(article=live, text="Fixed a name.")
    Correction.objects.create(article=hidden, text="Secret fix.")
    html = client.get("/corrections/").content.decode()
    assert "Fixed a name." in html and live.get_absolute_url() in html
    assert "Secret fix." not in html and "Hidden one" not in html


@pytest.mark.parametrize(
    "bad", ["0", "-1", "abc", "99999", "1.5", "9" * 40, "1e3", "%00", "１", "%201", "", "01"]
)
def test_bad_page_numbers_are_404_on_every_listing(client, bad):
    story = make_article(status=Status.PUBLISHED)
    story.tags.set(["Ukraine"])
    author = story.bylines.get().author
    for url in ("/", story.section.get_absolute_url(), author.get_absolute_url(),
                "/tags/ukraine/", "/corrections/", "/search/?q=story&"):  # fmt: skip
        joiner = "&" if "?" in url else "?"
        response = client.get(f"{url}{joiner}page={bad}")
        assert response.status_code == 404, (url, bad)
        assert "Page not found" in response.content.decode()


def test_article_metadata_for_search_engines_and_social_networks(client, series):
    from tests.images import make_image

    image = make_image(caption="Hearing")
    story = make_article(
        status=Status.PUBLISHED, series=series, lead_image=image, dek="The standfirst."
    )
    doc = page(client, story.get_absolute_url())
    head = doc.xpath("//head")[0]
    canonical = head.xpath('.//link[@rel="canonical"]/@href')[0]
    assert canonical == f"http://testserver{story.get_absolute_url()}"
    assert head.xpath('.//meta[@name="description"]/@content') == ["The standfirst."]
    og = {m.get("property"): m.get("content") for m in head.xpath(".//meta[@property]")}
    assert og["og:type"] == "article" and og["og:url"] == canonical
    assert og["og:image"].endswith(image.file.url)
    assert head.xpath('.//meta[@name="twitter:card"]/@content') == ["summary_large_image"]
    article = json_ld(doc, "ReportageNewsArticle")
    assert article["headline"] == story.headline
    assert article["datePublished"] and article["dateModified"]
    assert article["author"][0]["@type"] == "Person" and article["author"][0]["url"]
    assert article["publisher"]["logo"]["url"].endswith("logo.png")
    assert article["isPartOf"]["name"] == "Diplomacy Watch"
    assert article["articleSection"] == story.section.name
    assert article["image"]["creditText"] == "Alex Edelman/Pool via REUTERS"
    crumbs = json_ld(doc, "BreadcrumbList")["itemListElement"]
    assert crumbs[0]["name"] == "Home" and crumbs[-1]["item"] == canonical


def test_a_correction_appears_in_json_ld_and_moves_date_modified(client):
    story = make_article(status=Status.PUBLISHED)
    before = json_ld(page(client, story.get_absolute_url()), "ReportageNewsArticle")["dateModified"]
    Correction.objects.create(article=story, text="We fixed a date.")
    data = json_ld(page(client, story.get_absolute_url()), "ReportageNewsArticle")
    assert data["dateModified"] > before
    assert data["correction"][0]["text"] == "We fixed a date."


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client):
    story = make_article(status=Status.PUBLISHED, headline="</script><script>alert(1)</script>")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def test_custom_404_page(client):
    response = client.get("/no-such-section/no-such-story/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_custom_500_page_is_plain_and_self_contained():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and not re.search(r"{%|{{", html)


def test_every_listing_uses_the_one_teaser_partial(client, series):
    story = make_article(status=Status.PUBLISHED, series=series, headline="Peace talks go on")
    story.tags.set(["Ukraine"])
    author = story.bylines.get().author
    for url in ("/", story.section.get_absolute_url(), series.get_absolute_url(),
                author.get_absolute_url(), "/tags/ukraine/", "/search/?q=peace"):  # fmt: skip
        teasers = page(client, url).xpath('//article[contains(@class, "teaser")]//h3/a/@href')
        assert story.get_absolute_url() in teasers, url


def test_canonical_url_drops_query_strings_but_keeps_the_page_number(client):
    section = make_section(slug="europe")
    for _ in range(21):
        make_article(status=Status.PUBLISHED, section=section)
    doc = page(client, "/sections/europe/?utm_source=x&foo=%3Cb%3E")
    assert doc.xpath('//link[@rel="canonical"]/@href') == ["http://testserver/sections/europe/"]
    doc = page(client, "/sections/europe/?page=2&utm_source=x")
    assert doc.xpath('//link[@rel="canonical"]/@href') == [
        "http://testserver/sections/europe/?page=2"
    ]


@pytest.mark.parametrize("path", ["/sections/{section}/", "/search/?q=talks", "/corrections/"])
def test_every_page_has_open_graph_and_twitter_tags(client, path):
    story = make_article(status=Status.PUBLISHED, headline="Talks")
    doc = page(client, path.format(section=story.section.slug))
    og = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    twitter = {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}
    assert og["og:title"] != SiteSettings.get_solo().site_name or path == "/"
    for key in ("og:title", "og:description", "og:url", "og:image"):
        assert key in og, (path, key)
    assert og["og:image"].endswith("social-card.png")
    for key in ("twitter:card", "twitter:title", "twitter:image"):
        assert key in twitter, (path, key)
    assert doc.xpath('//link[@rel="canonical"]/@href')


def test_a_story_without_a_picture_shares_the_site_card(client):
    story = make_article(status=Status.PUBLISHED)
    doc = page(client, story.get_absolute_url())
    og = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    assert og["og:image"].endswith("social-card.png")
    assert json_ld(doc, "ReportageNewsArticle")["image"]["url"].endswith("social-card.png")


def test_tags_only_of_unpublished_stories_do_not_exist_for_readers(client):
    hidden = make_article(status=Status.SUBMITTED)
    hidden.tags.set(["Secret Topic"])
    for url in ("/tags/secret-topic/", "/feeds/tags/secret-topic/rss/"):
        assert client.get(url).status_code == 404, url


def test_one_follow_us_landmark_per_page(client):
    site = SiteSettings.get_solo()
    site.x_url = "https://x.com/desk"
    site.save()
    story = make_article(status=Status.PUBLISHED)
    doc = page(client, story.get_absolute_url())
    assert len(doc.xpath('//section[contains(@class, "follow")]')) == 1
    assert len(doc.xpath('//*[contains(@class, "follow")]')) == 2  # footer block stays


def test_the_lead_story_is_not_repeated_in_the_series_spotlight(client, series):
    lead = make_article(status=Status.PUBLISHED, series=series)
    older = make_article(
        status=Status.PUBLISHED, series=series, publish_at=timezone.now() - timedelta(days=30)
    )
    for _ in range(5):
        make_article(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=1))
    doc = page(client, "/")
    spotlight = doc.xpath('//section[@class="spotlight"]//h3/a/@href')
    assert lead.get_absolute_url() not in spotlight
    assert spotlight == [older.get_absolute_url()]


def test_the_series_spotlight_is_not_repeated_in_latest_or_a_section_block(client, series):
    """The newest installment is on the front page once: in the spotlight, not also in
    "Latest" or its section's block; and page 2 of "Latest" goes on where page 1 stopped."""
    for days in range(1, 8):  # newer than the installment: they fill the top slots
        make_article(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(hours=days))
    installment = make_article(
        status=Status.PUBLISHED, series=series, publish_at=timezone.now() - timedelta(days=2)
    )
    for days in range(3, 20):
        make_article(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=days))
    doc = page(client, "/")
    links = doc.xpath("//main//h3/a/@href")
    assert links.count(installment.get_absolute_url()) == 1
    assert doc.xpath('//section[@class="spotlight"]//h3/a/@href') == [
        installment.get_absolute_url()
    ]
    latest = '//section[@aria-labelledby="latest-heading"]//h3/a/@href'
    first, second = doc.xpath(latest), page(client, "/?page=2").xpath(latest)
    assert len(first) == 10 and second
    assert installment.get_absolute_url() not in second
    assert not set(first) & set(second)
