"""The sitemap of the newsroom's own pages: every live page, from PageQuerySet.live()."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Min, Q
from django.utils import timezone

from articles.models import Status
from caching.keys import show

from .models import Page

# The key of the listing of live pages (pages.services announces it when one comes or goes).
PAGES = "pages"


def listed() -> None:
    """Say that what is being rendered lists live pages: a page published later joins it
    (pages.services announces PAGES); one scheduled, or taken down at a set time, changes it
    by itself, so the cached copy lasts until then."""
    now = timezone.now()
    soonest = Page.objects.filter(status=Status.PUBLISHED).aggregate(
        publish=Min("publish_at", filter=Q(publish_at__gt=now)),
        unpublish=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    times = [t.timestamp() for t in soonest.values() if t is not None]
    show(PAGES, until=min(times) if times else None)


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        listed()
        return Page.objects.live().order_by("path")

    def lastmod(self, item):
        return item.modified_at
