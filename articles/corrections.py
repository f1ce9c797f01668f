"""Every published correction and update, with a link to its story: a page and a feed."""

from django.shortcuts import render
from django.utils.html import escape

from caching.keys import show
from caching.pages import public_page
from newsroom.models import SiteSettings

from .feeds import XmlSafeFeed
from .keys import CORRECTIONS
from .listings import paginate
from .models import Article, Correction


def published_corrections():
    """Corrections on live stories only: a note must not reveal an unpublished story."""
    show(CORRECTIONS)
    return (
        Correction.objects.filter(article__in=Article.objects.live())
        .select_related("article__section")
        .order_by("-published_at", "-pk")
    )


@public_page(params=("page",))
def correction_list(request):
    page = paginate(request, published_corrections(), per_page=50)
    return render(
        request,
        "articles/correction_list.html",
        {"page": page, "corrections": page.object_list, "meta_title": "Corrections and updates"},
    )


@public_page
class CorrectionsFeed(XmlSafeFeed):
    link = "/corrections/"

    def title(self):
        return f"{SiteSettings.get_solo().site_name}: corrections and updates"

    def description(self):
        return "Every correction and update to our published stories."

    def items(self):
        return published_corrections()[:50]

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item):
        # Feed readers render the description as HTML; the note is plain text.
        return escape(item.text)

    def item_link(self, item):
        return item.article.get_absolute_url()

    def item_guid(self, item):
        return f"correction-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at
