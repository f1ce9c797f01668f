"""A page as readers see it: at its address from the site's root, at any depth.

Addresses of two segments (/policies/corrections/) look like a story's (/<section>/<slug>/)
and reach articles.views.article_detail first, which hands over to `live_page_at` whenever
the address is not the story's own, so a story slugged "corrections" never shadows the page.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from caching.pages import public_page
from media.body import with_library_pictures
from newsroom import richtext

from .models import Page
from .sitemaps import listed

SEARCH_LIMIT = 5  # pages are few: the best handful, above the stories


def live_page_at(path: str) -> Page | None:
    """The live page at `path` ("policies/corrections"), or None."""
    return Page.objects.live().filter(path=path).select_related("parent").first()


def pages_matching(query: str) -> list[Page]:
    """The live pages whose title or text holds `query`, for the site search."""
    if not query:
        return []
    listed()
    words = Q(title__icontains=query) | Q(body__icontains=query)
    return list(Page.objects.live().filter(words).order_by("path")[:SEARCH_LIMIT])


def render_page(request, page: Page):
    description = (
        page.seo_description or richtext.plain_text(richtext.first_paragraphs(page.body, 1))[:300]
    )
    return render(
        request,
        "pages/page_detail.html",
        # Each library picture drawn with its caption and credit, as in a story's body.
        {"page": page, "body": with_library_pictures(page.body_html()),
         "meta_title": page.seo_title or page.title, "meta_description": description},
    )  # fmt: skip


@public_page
def page_detail(request, path: str):
    page = live_page_at(path)
    if page is None:
        raise Http404("No such page.")
    return render_page(request, page)
