"""What search engines and social networks read about a story: JSON-LD and share links."""

from urllib.parse import quote, urlencode

from django.templatetags.static import static

from newsroom import organization, richtext

from .models import Article, ArticleType

# The schema.org type for each kind of story: one table. Feature and Interview have no
# subtype of their own in schema.org (a feature may be reportage or background, an interview
# either), so they stay NewsArticle rather than claim a kind they may not be. Sponsored and
# partner content is paid for: schema.org's advertiser content, never news.
SCHEMA_TYPES = {
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


def schema_type(article: Article) -> str:
    """The story's schema.org type; NewsArticle for a type the table does not name."""
    return SCHEMA_TYPES.get(article.article_type, "NewsArticle")


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain share URLs (no third-party scripts), as (network, href)."""
    return [
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{title} {url}"})),
        ("Email", f"mailto:?subject={quote(title)}&body={quote(url)}"),
    ]


def date_modified(article: Article, corrections) -> object:
    """The latest of the public update time and any correction: what dateModified says."""
    times = [article.publish_at, article.updated_at, *(c.published_at for c in corrections)]
    return max(t for t in times if t is not None)


def news_article(
    request,
    article: Article,
    *,
    bylines,
    corrections,
    tags,
    image_url: str | None,
    image_size=(None, None),
):
    """schema.org NewsArticle (or its subtype for the story's type) for the story page."""
    absolute = request.build_absolute_uri
    data = {
        "@context": "https://schema.org",
        "@type": schema_type(article),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "headline": article.headline[:110],
        "description": article.description,
        "datePublished": article.publish_at.isoformat() if article.publish_at else None,
        "dateModified": date_modified(article, corrections).isoformat()
        if article.publish_at
        else None,
        "articleSection": article.section.name,
        "author": [byline_person(request, b.author) for b in bylines],
        # The same node as the page's NewsMediaOrganization (its @id), with what Google
        # wants of a publisher inline, for readers of this block alone.
        "publisher": organization.publisher(request),
        "keywords": [tag.name for tag in tags],
    }
    image = article.social_image or article.lead_image
    if not image_url:  # Google wants an image on every story: fall back to the site's card
        card = absolute(static("newsroom/social-card.png"))
        data["image"] = {"@type": "ImageObject", "url": card, "width": 1200, "height": 630}
    elif image:
        data["image"] = {
            "@type": "ImageObject",
            "url": image_url,
            "width": image_size[0],
            "height": image_size[1],
            "caption": image.caption,
            "creditText": image.credit,
            "copyrightNotice": image.copyright_notice or image.credit,
        }
    if article.series_id:
        data["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": article.series.name,
            "url": absolute(article.series.get_absolute_url()),
        }
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": richtext.plain_text(c.text),
                "datePublished": c.published_at.isoformat(),
            }
            for c in corrections
        ]
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def citations(sources) -> list[dict]:
    """A story's sources as schema.org CreativeWorks, for its `citation`."""
    works = []
    for source in sources:
        work = {"@type": "CreativeWork", "name": source.title}
        if source.url:
            work["url"] = source.url
        if source.publisher:
            work["publisher"] = {"@type": "Organization", "name": source.publisher}
        if source.published_on:
            work["datePublished"] = source.published_on.isoformat()
        works.append(work)
    return works


def sponsor(article: Article) -> dict | None:
    """Who paid for a sponsored or partner story, as a schema.org Organization."""
    if not article.is_sponsored or not article.sponsor_name:
        return None
    found = {"@type": "Organization", "name": article.sponsor_name}
    if article.sponsor_url:
        found["url"] = article.sponsor_url
    return found


def with_sources_and_sponsor(data: dict, article: Article, *, sources) -> dict:
    """A story's JSON-LD (news_article) with what it rests on (`citation`) and who paid for
    it (`sponsor`), when it has them."""
    extra = {"citation": citations(sources), "sponsor": sponsor(article)}
    return data | {key: value for key, value in extra.items() if value}


def breadcrumbs(request, trail: list[tuple[str, str]]):
    """schema.org BreadcrumbList from (name, path) pairs."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": n,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }


# --- Authors: who wrote it, as search engines read it ------------------------------------------


def byline_person(request, author) -> dict:
    """A story's author as a schema.org Person: name, author page, role and profiles. Never
    an email: the public one is on the author page, the private one nowhere."""
    data = {
        "@type": "Person",
        "name": author.name,
        "url": request.build_absolute_uri(author.get_absolute_url()),
        "jobTitle": author.job_title,
        "sameAs": [url for _, url in author.profiles],
    }
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def profile_page(request, author, *, image_url: str | None = None) -> dict:
    """schema.org ProfilePage for the author page, its mainEntity the Person: role, bio,
    photo, what they know about, their languages and profiles elsewhere."""
    person = {
        **byline_person(request, author),
        "description": author.bio,
        "knowsAbout": author.expertise_list,
        "knowsLanguage": author.language_list,
        "email": author.email,  # the public address only (contact_email is private)
    }
    if image_url:
        photo = author.photo
        person["image"] = {"@type": "ImageObject", "url": image_url,
                           "creditText": photo.credit, "caption": photo.caption}  # fmt: skip
        person["image"] = {k: v for k, v in person["image"].items() if v}
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": request.build_absolute_uri(author.get_absolute_url()),
        "mainEntity": {key: value for key, value in person.items() if value not in ([], "")},
    }
