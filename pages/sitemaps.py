"""The sitemap of the newsroom's own pages: every live page, from PageQuerySet.live()."""

from django.contrib.sitemaps import Sitemap

from caching.keys import show

from .models import Page

# The key of the listing of live pages (pages.services announces it when one comes or goes).
PAGES = "pages"


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        show(PAGES)  # a page published later joins it: the cached sitemap must go
        return Page.objects.live().order_by("path")

    def lastmod(self, item):
        return item.modified_at
