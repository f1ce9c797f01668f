"""What search engines read about the newsroom and its stories, read back with a real JSON-LD
processor (pyld): the organisation on every page, with its Trust Project policies (live pages
only), and each story's schema.org type. The expected types and properties are held here."""

import json
from datetime import date, timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from lxml import html as lxml_html
from pyld import jsonld

from articles.models import ArticleType, Correction, Status
from newsroom.models import SiteSettings
from pages.models import Page
from tests.factories import make_article

pytestmark = pytest.mark.django_db

S = "https://schema.org/"
SITE = "http://testserver"
# schema.org's context, as much of it as our JSON-LD uses, served without the network: terms
# in schema.org's vocabulary; addresses (url, sameAs, the policies) are IRIs, not text.
IRI_PROPERTIES = [
    "url", "sameAs", "mainEntityOfPage", "item", "masthead", "publishingPrinciples",
    "ethicsPolicy", "correctionsPolicy", "ownershipFundingInfo", "diversityPolicy",
    "unnamedSourcesPolicy", "verificationFactCheckingPolicy", "actionableFeedbackPolicy",
    "missionCoveragePrioritiesPolicy", "noBylinesPolicy",
]  # fmt: skip
SCHEMA_ORG_CONTEXT = {
    "@context": {
        "@vocab": S,
        **{name: {"@id": S + name, "@type": "@id"} for name in IRI_PROPERTIES},
    }
}


def load_locally(url, options=None):
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the JSON-LD asked for another context: {url}")
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def nodes(client, url) -> list[dict]:
    """Every node of every JSON-LD block on the page, expanded and flattened by pyld."""
    response = client.get(url)
    assert response.status_code == 200, url
    doc = lxml_html.fromstring(response.content)
    blocks = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    flat = jsonld.flatten(blocks, None, {"documentLoader": load_locally})
    return flat


def of_type(found: list[dict], kind: str) -> list[dict]:
    return [node for node in found if S + kind in node.get("@type", [])]


def value(node: dict, prop: str):
    """The one value of `prop`: an IRI, a literal, or a node reference."""
    (item,) = node[S + prop]
    return item.get("@id", item.get("@value"))


def make_page(title, slug, *, status=Status.PUBLISHED, **fields) -> Page:
    if status == Status.PUBLISHED:
        fields.setdefault("publish_at", timezone.now() - timedelta(days=1))
    return Page.objects.create(title=title, slug=slug, status=status, **fields)


# Site settings field -> (schema.org property, the live page's slug), held in the test.
POLICIES = {
    "masthead_page": ("masthead", "masthead"),
    "publishing_principles_page": ("publishingPrinciples", "principles"),
    "ethics_policy_page": ("ethicsPolicy", "ethics"),
    "corrections_policy_page": ("correctionsPolicy", "corrections-policy"),
    "ownership_funding_page": ("ownershipFundingInfo", "ownership"),
    "unnamed_sources_policy_page": ("unnamedSourcesPolicy", "unnamed-sources"),
    "verification_policy_page": ("verificationFactCheckingPolicy", "fact-checking"),
    "feedback_policy_page": ("actionableFeedbackPolicy", "feedback"),
    "coverage_priorities_page": ("missionCoveragePrioritiesPolicy", "mission"),
    "no_bylines_policy_page": ("noBylinesPolicy", "no-bylines"),
}


@pytest.fixture
def newsroom():
    """A newsroom with every policy a live page, except diversity (a draft) and the
    masthead's neighbour set to a page scheduled for next week."""
    site = SiteSettings.get_solo()
    site.site_name = "The Harbour Times"
    site.legal_name = "Harbour News Cooperative Ltd"
    site.founding_date = date(1998, 4, 1)
    site.x_url, site.bluesky_url = "https://x.com/harbour", "https://bsky.app/profile/harbour"
    for field, (_prop, slug) in POLICIES.items():
        setattr(site, field, make_page(slug.replace("-", " ").title(), slug))
    site.diversity_policy_page = make_page("Diversity", "diversity", status=Status.DRAFT)
    site.save()
    return site


def organization_of(found) -> dict:
    (organization,) = of_type(found, "NewsMediaOrganization")
    return organization


@pytest.mark.parametrize("where", ["home", "story", "section", "page", "corrections"])
def test_every_page_names_the_newsroom_and_its_live_policies(client, newsroom, where):
    story = make_article(status=Status.PUBLISHED)
    url = {
        "home": "/",
        "story": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "page": "/masthead/",
        "corrections": "/corrections/",
    }[where]
    organization = organization_of(nodes(client, url))
    assert organization["@id"] == f"{SITE}/#organization"
    assert value(organization, "name") == "The Harbour Times"
    assert value(organization, "legalName") == "Harbour News Cooperative Ltd"
    assert value(organization, "url") == f"{SITE}/"
    assert value(organization, "foundingDate") == "1998-04-01"
    assert {v["@id"] for v in organization[S + "sameAs"]} == {
        "https://x.com/harbour",
        "https://bsky.app/profile/harbour",
    }
    for prop, slug in POLICIES.values():
        assert value(organization, prop) == f"{SITE}/{slug}/", prop
    # A draft policy page is not named (nor is it anywhere on the page).
    assert S + "diversityPolicy" not in organization
    assert "/diversity/" not in client.get(url).content.decode()
    logo = next(n for n in nodes(client, url) if n["@id"] == value(organization, "logo"))
    assert value(logo, "url").endswith("/static/newsroom/logo.png")


def test_the_contact_point_is_the_contact_form_when_there_is_one(client, newsroom):
    organization = organization_of(nodes(client, "/"))
    try:
        form = f"{SITE}{reverse('contact:form')}"
    except NoReverseMatch:
        assert S + "contactPoint" not in organization
        return
    (point_id,) = [p["@id"] for p in organization[S + "contactPoint"]]
    point = next(n for n in nodes(client, "/") if n["@id"] == point_id)
    assert value(point, "url") == form
    # The address the form's messages are mailed to is private: never in what the page says.
    site = SiteSettings.get_solo()
    site.contact_email = "desk-private@example.org"
    site.save()
    assert "desk-private@example.org" not in client.get("/").content.decode()


def test_a_policy_page_taken_down_or_not_yet_live_is_not_named(client, newsroom):
    Page.objects.filter(slug="ethics").update(status=Status.UNPUBLISHED)
    Page.objects.filter(slug="mission").update(publish_at=timezone.now() + timedelta(days=7))
    Page.objects.filter(slug="feedback").update(unpublish_at=timezone.now() - timedelta(hours=1))
    organization = organization_of(nodes(client, "/"))
    for prop in ("ethicsPolicy", "missionCoveragePrioritiesPolicy", "actionableFeedbackPolicy"):
        assert S + prop not in organization, prop
    assert value(organization, "correctionsPolicy") == f"{SITE}/corrections-policy/"


def test_a_newsroom_with_no_settings_still_names_itself(client):
    organization = organization_of(nodes(client, "/"))
    assert value(organization, "name") == SiteSettings.get_solo().site_name
    assert not [key for key in organization if key.endswith("Policy")]


def test_the_logo_chosen_in_the_settings_is_named_with_its_size(client):
    from tests.images import make_image

    site = SiteSettings.get_solo()
    site.logo = make_image(title="Logo")
    site.save()
    found = nodes(client, "/")
    logo_id = value(organization_of(found), "logo")
    logo = next(n for n in found if n["@id"] == logo_id)
    assert value(logo, "url") == f"{SITE}{site.logo.file.url}"
    assert value(logo, "width") == 40 and value(logo, "height") == 30


# Each story type -> its schema.org type, held in the test.
STORY_TYPES = {
    ArticleType.NEWS: "ReportageNewsArticle",
    ArticleType.ANALYSIS: "AnalysisNewsArticle",
    ArticleType.OPINION: "OpinionNewsArticle",
    ArticleType.EXPLAINER: "BackgroundNewsArticle",
    ArticleType.REVIEW: "ReviewNewsArticle",
    ArticleType.FEATURE: "NewsArticle",
    ArticleType.INTERVIEW: "NewsArticle",
    ArticleType.SPONSORED: "AdvertiserContentArticle",
    ArticleType.PARTNER: "AdvertiserContentArticle",
}


def test_every_story_type_has_an_expected_schema_type():
    assert set(STORY_TYPES) == set(ArticleType)


@pytest.mark.parametrize("story_type", list(STORY_TYPES))
def test_each_story_type_is_its_schema_org_subtype(client, newsroom, story_type):
    story = make_article(status=Status.PUBLISHED, article_type=story_type)
    Correction.objects.create(article=story, text="We fixed a date.")
    found = nodes(client, story.get_absolute_url())
    (article,) = of_type(found, STORY_TYPES[story_type])
    assert article[S + "headline"] == [{"@value": story.headline}]
    assert value(article, "mainEntityOfPage") == f"{SITE}{story.get_absolute_url()}"
    # The publisher is the page's organisation, one node: its policies are the story's.
    publisher = value(article, "publisher")
    assert publisher == f"{SITE}/#organization"
    organization = organization_of(found)
    assert organization["@id"] == publisher
    assert value(organization, "correctionsPolicy") == f"{SITE}/corrections-policy/"
    assert of_type(found, "CorrectionComment")
    # The type label readers see is the one they saw before.
    doc = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    label = doc.xpath('//p[contains(concat(" ", @class, " "), " label ")]')[0].text_content()
    assert label == f"{story.get_article_type_display()} | {story.section.name}"


def test_a_corrected_story_links_the_corrections_page_and_policy(client, newsroom):
    story = make_article(status=Status.PUBLISHED)
    Correction.objects.create(article=story, text="We fixed a date.")
    doc = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    links = {
        a.text_content(): a.get("href") for a in doc.xpath('//section[@class="corrections"]//a')
    }
    assert links == {
        "How we correct our mistakes": "/corrections-policy/",
        "All corrections and updates": "/corrections/",
    }


def test_the_corrections_page_links_the_policy_only_while_it_is_live(client, newsroom):
    doc = lxml_html.fromstring(client.get("/corrections/").content)
    assert doc.xpath('//p[@class="corrections-policy"]/a/@href')[0] == "/corrections-policy/"
    Page.objects.filter(slug="corrections-policy").update(status=Status.DRAFT)
    html = client.get("/corrections/").content.decode()
    assert "/corrections-policy/" not in html


def test_a_story_without_corrections_shows_no_corrections_block(client, newsroom):
    story = make_article(status=Status.PUBLISHED)
    doc = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    assert not doc.xpath('//section[@class="corrections"]')
