"""Sitemaps: an index of paginated sitemaps for stories and listing pages, and a Google News
sitemap of the last 48 hours. What they list comes from articles.listings, as the pages do:
every live story, and the section, series, author and tag pages that list at least one."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from pages.sitemaps import PageSitemap
from sections.models import Section, Series

from .listings import public_tags, shows, stories_of, with_stories
from .models import Author
from .models.article import SPONSORED_TYPES


class ArticleSitemap(Sitemap):
    limit = 1000  # per page of the index
    changefreq = "weekly"

    def items(self):
        return stories_of().select_related("section")

    def lastmod(self, item):
        return item.updated_at or item.publish_at


class NewsSitemap(ArticleSitemap):
    """Google News: stories first published in the last 48 hours; not sponsored or partner
    content, which is advertising, not news (it stays in the plain sitemap, labelled)."""

    limit = 1000

    def items(self):
        since = timezone.now() - timedelta(hours=48)
        news = super().items().filter(first_published_at__gte=since)
        return news.exclude(article_type__in=SPONSORED_TYPES)


class ListingSitemap(Sitemap):
    """The listing pages that list at least one live story: which they are changes whenever
    a story goes live or leaves, so the sitemap names the whole site's listing."""

    def items(self):
        shows()
        return self.subjects()


class SectionSitemap(ListingSitemap):
    changefreq = "hourly"

    def subjects(self):
        return with_stories(Section.objects.order_by("pk"))


class SeriesSitemap(ListingSitemap):
    changefreq = "weekly"

    def subjects(self):
        return with_stories(Series.objects.order_by("pk"))


class AuthorSitemap(ListingSitemap):
    def subjects(self):
        return with_stories(Author.objects.order_by("pk"))


class TagSitemap(ListingSitemap):
    def subjects(self):
        return public_tags().order_by("pk")

    def location(self, item):
        from django.urls import reverse

        return reverse("tags:detail", kwargs={"slug": item.slug})


SITEMAPS = {
    "stories": ArticleSitemap,
    "sections": SectionSitemap,
    "series": SeriesSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
    "pages": PageSitemap,
}
