"""Reader-facing story pages. Every query starts from Article.objects.live()."""

from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from taggit.models import Tag

from caching.keys import collecting, show
from caching.pages import public_page
from caching.values import remember
from media.templatetags.pictures import social_card
from newsletters.subscribing import signup_newsletters
from newsroom.models import SiteSettings
from pages.views import live_page_at, pages_matching, render_page
from sections.models import Section
from sections.navigation import navigation

from . import fragments, metadata, reading
from .keys import FRONT_PAGE_KEY
from .listings import listing_key, paginate, public_tags, shows, stories_of
from .models import Article, Author, FrontPageSlot, SlugRedirect
from .services import article_for_share_token

FRONT_PAGE_SLOTS = 5  # the lead story and four secondary stories


@public_page(params=("page",))
def home(request):
    """Editors' lead and secondary picks (else the newest), the latest stories, a block per
    section and the newest installment of a series. Later pages list only the latest.
    A fixed number of queries, however many sections there are."""
    live = stories_of().select_related("section", "series", "lead_image")
    show(FRONT_PAGE_KEY)
    picks = [
        slot.article
        for slot in FrontPageSlot.objects.filter(article__in=Article.objects.live())
        .select_related("article__section", "article__series", "article__lead_image")
        .order_by("position")
    ]
    newest = list(live.exclude(pk__in=[a.pk for a in picks])[:FRONT_PAGE_SLOTS])
    featured = (picks + newest)[:FRONT_PAGE_SLOTS]
    shown = [a.pk for a in featured]
    # The newest installment not already on top. It is left out of every page of "Latest" and
    # of the section blocks, so no story is on the front page twice and the pages of "Latest"
    # do not shift between page 1 and the next.
    spotlight = (
        live.filter(series__is_active=True).exclude(pk__in=shown).order_by("-publish_at").first()
    )
    if spotlight:
        shown.append(spotlight.pk)
    page = paginate(request, live.exclude(pk__in=shown), per_page=10)
    context = {"page": page, "articles": page.object_list}
    listed = [*page.object_list]
    if page.number == 1:
        context |= {
            "lead": featured[0] if featured else None,
            "secondary": featured[1:],
            "section_blocks": section_blocks(live, shown),
            "spotlight": spotlight,
        }
        listed += [*featured, spotlight]
    # Only the renditions a teaser draws (an image has some thirty, nine of them "lead").
    pictures = [a.lead_image for a in listed if a and a.lead_image]
    prefetch_related_objects(pictures, reading.renditions_of("lead"))
    return render(request, "articles/home.html", context)


def section_blocks(live, shown: list[int], per_section: int = 3) -> list[tuple[Section, list]]:
    """The home page's block per navigation section, in one query. The window query that
    picks them is remembered until a story joins or leaves the site (caching.values); the
    stories it picked are read again through live() by id."""
    sections = {s.pk: s for s in navigation()}

    computed: list[Article] = []

    def pick():
        # Which stories depends on the site's listing, not on what they say: filed under it.
        with collecting(shown=False):
            newest = live.exclude(pk__in=shown).newest_per_section
            computed.extend(newest(list(sections), per_section=per_section))
        return [(story.pk, story.top_section) for story in computed]

    name = ":".join(map(str, ("home-blocks:2", per_section, *sorted(shown), "-", *sections)))
    picked = remember(name, pick, keys={listing_key()})
    stories = computed
    show(*(f"story-{story.pk}" for story in computed))  # the page shows them
    if not computed:  # remembered: read back, still live
        found = live.in_bulk([pk for pk, _ in picked])
        for pk, top_section in picked:
            if pk in found:
                found[pk].top_section = top_section
                stories.append(found[pk])
    blocks: dict[int, list[Article]] = {pk: [] for pk in sections}
    for story in stories:
        if story.top_section in blocks:
            blocks[story.top_section].append(story)
    return [(sections[pk], blocks[pk]) for pk in sections]


def render_article(request, article: Article, *, preview: bool = False, page=None):
    """The story page. Previews (staff or share link) are marked noindex; `page` (a
    reading.StoryPage) is given for a story not saved as shown (desk.preview)."""
    page = reading.story_page(article, surroundings=page)
    url = request.build_absolute_uri(article.get_absolute_url())
    image = article.social_image or article.lead_image
    image_url = card_width = card_height = None
    if image and image.file and image.is_usable():
        card_url, card_width, card_height = social_card(image)
        image_url = request.build_absolute_uri(card_url)
    section = article.section
    trail = [("Home", "/")]
    if section.parent_id:
        trail.append((section.parent.name, section.parent.get_absolute_url()))
    trail += [(section.name, section.get_absolute_url()), (article.headline, url)]
    site = SiteSettings.get_solo()
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "body": fragments.body(article, page.body_images),
            "byline": fragments.byline(reading.byline_groups(page.bylines)),
            "corrections": page.corrections,
            "sources": page.sources,
            "type_note": site.type_note(article.article_type),
            "disclosure": site.disclosure(article.sponsor_name) if article.is_sponsored else "",
            "tags": page.tags,
            "series_position": page.series_position,
            "river": page.river,
            "share_links": metadata.share_links(url, article.headline),
            "canonical_url": url,
            "social_image_url": image_url,
            "social_image": image,
            "social_image_size": (card_width, card_height),
            "date_modified": metadata.date_modified(article, page.corrections)
            if article.publish_at
            else None,
            "json_ld": [
                metadata.with_sources_and_sponsor(
                    metadata.news_article(
                        request,
                        article,
                        bylines=page.bylines,
                        corrections=page.corrections,
                        tags=page.tags,
                        image_url=image_url,
                        image_size=(card_width, card_height),
                    ),
                    article,
                    sources=page.sources,
                ),
                metadata.breadcrumbs(request, trail),
            ],
            "preview": preview,
            "signup_newsletters": signup_newsletters(series=article.series, section=section),
        },
    )
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response


@public_page
def article_detail(request, section: str, slug: str):
    live = Article.objects.live().select_related(
        "section__parent", "series", "lead_image", "social_image"
    )
    article = live.filter(slug=slug).first()
    if article is not None and article.section.slug == section:
        return render_article(request, article)  # the story's own address: nothing more read
    # Not the story's own address: a page of the newsroom's own may be here
    # (/policies/corrections/), before any redirect to a story of that slug.
    page = live_page_at(f"{section}/{slug}")
    if page is not None:
        return render_page(request, page)
    if article is None:
        old = SlugRedirect.objects.filter(old_slug=slug, article__in=live).first()
        if old is None:
            raise Http404("No such story.")
        return redirect(live.get(pk=old.article_id), permanent=True)
    return redirect(article, permanent=True)


def shared_preview(request, token: str):
    """A reviewer's read-only view of an unpublished story, through a signed share link."""
    article = article_for_share_token(token)
    if article is None:
        raise Http404("This preview link is invalid, has expired or was revoked.")
    return render_article(request, article, preview=True)


# The contact form (another app) writes to an author named by their slug: /contact/?author=.
CONTACT_PATH = "/contact/"


def contact_form_path() -> str | None:
    """The contact form's address, if this site has one: a view of its own at /contact/,
    not a missing page of the newsroom's (pages' catch-all)."""
    try:
        match = resolve(CONTACT_PATH)
    except Resolver404:
        return None
    return None if match.namespace == "pages" else CONTACT_PATH


@public_page(params=("page",))
def author_detail(request, slug: str):
    """An author's profile (photo with its credit, role, bio, expertise, languages, profiles,
    how to write to them: never the private address) and their stories."""
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    page = paginate(request, stories_of(author).for_listing())
    photo = (
        author.photo if author.photo and author.photo.file and author.photo.is_usable() else None
    )
    image_url = request.build_absolute_uri(photo.file.url) if photo else None
    write_to = None
    contact = contact_form_path()
    if contact and not author.email and author.contact_email:
        write_to = f"{contact}?{urlencode({'author': author.slug})}"
    return render(
        request,
        "articles/author_detail.html",
        {"author": author, "page": page, "articles": page.object_list,
         "meta_title": author.name, "meta_description": author.bio[:300],
         "write_to": write_to,
         "json_ld": metadata.profile_page(request, author, image_url=image_url)},
    )  # fmt: skip


def public_tag(slug: str) -> Tag:
    """A tag readers may see: one that at least one live story carries (else 404), so the
    tags of an unpublished story do not reveal what it is about."""
    return get_object_or_404(public_tags(), slug=slug)


@public_page(params=("page",))
def tag_detail(request, slug: str):
    tag = public_tag(slug)
    page = paginate(request, stories_of(tag).for_listing())
    return render(
        request,
        "articles/tag_detail.html",
        {"tag": tag, "page": page, "articles": page.object_list, "meta_title": tag.name},
    )


@public_page(params=("q", "section", "series", "author", "from", "to", "page"))
def search_results(request):
    """/search/?q=…: any input gives a page; filters by section, series, author and dates."""
    from sections.models import Series

    from . import search

    query = search.clean_query(request.GET.get("q", ""))
    filters = search.Filters.from_query(request.GET)
    shows()  # any story may match
    page = paginate(request, search.search(query, filters), count=True)
    unfiltered = not (filters.section or filters.series or filters.author or filters.date_from
                      or filters.date_to)  # fmt: skip
    # The newsroom's own pages (About, policies) that match, above the first page of stories.
    matching_pages = pages_matching(query) if unfiltered and page.number == 1 else []
    for story in page.object_list:
        story.snippet_html = search.snippet_html(story)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "filters": filters,
            "page": page,
            "articles": page.object_list,
            "sections": Section.objects.all(),
            "all_series": Series.objects.all(),
            "authors": Author.objects.all(),
            "page_query": params.urlencode(),
            "meta_title": f"Search: {query}" if query else "Search",
            "max_ranked": search.MAX_RANKED,
            "matching_pages": matching_pages,
        },
    )
