"""Reader-facing story pages. Every query starts from Article.objects.live()."""

import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from taggit.models import Tag

from media.body import with_library_pictures
from media.templatetags.pictures import social_card
from newsletters.subscribing import signup_newsletters
from newsroom.cache import navigation
from sections.models import Section

from . import metadata, reading
from .models import Article, Author, FrontPageSlot, SlugRedirect
from .models.article import public_tags
from .services import article_for_share_token

FRONT_PAGE_SLOTS = 5  # the lead story and four secondary stories


_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


class ListingPage:
    """A page of a listing without counting the whole archive (a COUNT over 100,000 stories
    reads them all): one extra row says whether there is a next page."""

    def __init__(self, queryset, number: int, per_page: int):
        offset = (number - 1) * per_page
        rows = list(queryset[offset : offset + per_page + 1])
        self.number, self.object_list = number, rows[:per_page]
        self.has_next, self.has_previous = len(rows) > per_page, number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(request) -> int:
    """?page= as a number; anything but a plain positive number is a 404, never a 500."""
    raw = request.GET.get("page")
    if raw is not None and not _PAGE_NUMBER.fullmatch(raw):
        raise Http404("No such page.")
    return int(raw or 1)


def paginate(request, queryset, per_page: int = 20, *, count: bool = False):
    """A page of `queryset` from ?page=; a page past the end is a 404. With count=True, a
    Django Page that knows the total (search results show it)."""
    number = page_number(request)
    if count:
        try:
            return Paginator(queryset, per_page, allow_empty_first_page=True).page(number)
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404("No such page.") from error
    page = ListingPage(queryset, number, per_page)
    if number > 1 and not page.object_list:
        raise Http404("No such page.")
    return page


def home(request):
    """Editors' lead and secondary picks (else the newest), the latest stories, a block per
    section and the newest installment of a series. Later pages list only the latest.
    A fixed number of queries, however many sections there are."""
    live = Article.objects.live().select_related("section", "series", "lead_image")
    picks = [
        slot.article
        for slot in FrontPageSlot.objects.filter(article__in=Article.objects.live())
        .select_related("article__section", "article__series", "article__lead_image")
        .order_by("position")
    ]
    newest = list(live.exclude(pk__in=[a.pk for a in picks])[:FRONT_PAGE_SLOTS])
    featured = (picks + newest)[:FRONT_PAGE_SLOTS]
    shown = [a.pk for a in featured]
    page = paginate(request, live.exclude(pk__in=shown), per_page=10)
    context = {"page": page, "articles": page.object_list}
    listed = [*page.object_list]
    if page.number == 1:
        spotlight = (
            live.filter(series__is_active=True)
            .exclude(pk__in=shown)
            .order_by("-publish_at")
            .first()
        )
        context |= {
            "lead": featured[0] if featured else None,
            "secondary": featured[1:],
            "section_blocks": section_blocks(live.exclude(pk__in=shown)),
            "spotlight": spotlight,
        }
        listed += [*featured, spotlight]
    prefetch_related_objects([a.lead_image for a in listed if a and a.lead_image], "renditions")
    return render(request, "articles/home.html", context)


def section_blocks(stories, per_section: int = 3) -> list[tuple[Section, list[Article]]]:
    """The home page's block per navigation section, in one query."""
    sections = {s.pk: s for s in navigation()}
    blocks: dict[int, list[Article]] = {pk: [] for pk in sections}
    for story in stories.newest_per_section(list(sections), per_section=per_section):
        blocks[story.top_section].append(story)
    return [(sections[pk], blocks[pk]) for pk in sections]


def render_article(request, article: Article, *, preview: bool = False):
    """The story page. Previews (staff or share link) are marked noindex."""
    page = reading.story_page(article)
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
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "body": with_library_pictures(article.body_html, page.body_images),
            "byline_groups": reading.byline_groups(page.bylines),
            "corrections": page.corrections,
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
                metadata.news_article(
                    request,
                    article,
                    bylines=page.bylines,
                    corrections=page.corrections,
                    tags=page.tags,
                    image_url=image_url,
                    image_size=(card_width, card_height),
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


def article_detail(request, section: str, slug: str):
    live = Article.objects.live().select_related(
        "section__parent", "series", "lead_image", "social_image"
    )
    article = live.filter(slug=slug).first()
    if article is None:
        old = SlugRedirect.objects.filter(old_slug=slug, article__in=live).first()
        if old is None:
            raise Http404("No such story.")
        return redirect(live.get(pk=old.article_id), permanent=True)
    if article.section.slug != section:
        return redirect(article, permanent=True)
    return render_article(request, article)


def shared_preview(request, token: str):
    """A reviewer's read-only view of an unpublished story, through a signed share link."""
    article = article_for_share_token(token)
    if article is None:
        raise Http404("This preview link is invalid, has expired or was revoked.")
    return render_article(request, article, preview=True)


def author_detail(request, slug: str):
    author = get_object_or_404(Author, slug=slug)
    stories = Article.objects.live().by_author(author).for_listing()
    page = paginate(request, stories)
    return render(
        request,
        "articles/author_detail.html",
        {"author": author, "page": page, "articles": page.object_list,
         "meta_title": author.name, "meta_description": author.bio[:300]},
    )  # fmt: skip


def public_tag(slug: str) -> Tag:
    """A tag readers may see: one that at least one live story carries (else 404), so the
    tags of an unpublished story do not reveal what it is about."""
    return get_object_or_404(public_tags(), slug=slug)


def tag_detail(request, slug: str):
    tag = public_tag(slug)
    page = paginate(request, Article.objects.live().tagged(tag).for_listing())
    return render(
        request,
        "articles/tag_detail.html",
        {"tag": tag, "page": page, "articles": page.object_list, "meta_title": tag.name},
    )


def search_results(request):
    """/search/?q=…: any input gives a page; filters by section, series, author and dates."""
    from sections.models import Series

    from . import search

    query = search.clean_query(request.GET.get("q", ""))
    filters = search.Filters.from_query(request.GET)
    page = paginate(request, search.search(query, filters), count=True)
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
        },
    )
