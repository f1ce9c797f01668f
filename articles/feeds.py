"""RSS 2.0 and Atom feeds: the whole site, and per section, series, author and tag.

Every feed starts from Article.objects.live(). Items carry the preview text as their
description and the lead image (with its credit) as an enclosure.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from taggit.models import Tag

from newsroom.models import SiteSettings
from sections.models import Section, Series

from .models import Article, Author

FEED_LENGTH = 30


class LatestStoriesFeed(Feed):
    """The newest live stories on the whole site."""

    def title(self, obj=None):
        name = SiteSettings.get_solo().site_name
        return f"{name}: {obj}" if obj else name

    def link(self, obj=None):
        return obj.get_absolute_url() if obj is not None else "/"

    def description(self, obj=None):
        return SiteSettings.get_solo().tagline

    def stories(self, obj):
        return Article.objects.live()

    def items(self, obj=None):
        return self.stories(obj).for_listing().order_by("-publish_at")[:FEED_LENGTH]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.preview_html

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at or item.publish_at

    def item_author_name(self, item):
        return ", ".join(b.author.name for b in item.bylines.all()) or None

    def item_categories(self, item):
        return [item.section.name]

    def item_enclosures(self, item):
        image = item.lead_image
        if not image or not image.file or not image.file_size:
            return []
        return [Enclosure(self.request.build_absolute_uri(image.file.url), str(image.file_size),
                          "image/jpeg")]  # fmt: skip

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None


class SectionFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Section, slug=slug)

    def stories(self, obj):
        return Article.objects.live().filter(section__in=[obj, *obj.children.all()])


class SeriesFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Series, slug=slug)

    def stories(self, obj):
        return Article.objects.live().filter(series=obj)


class AuthorFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Author, slug=slug)

    def stories(self, obj):
        return Article.objects.live().filter(bylines__author=obj)


class TagFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Tag, slug=slug)

    def link(self, obj=None):
        return reverse("tags:detail", kwargs={"slug": obj.slug})

    def stories(self, obj):
        return Article.objects.live().filter(tags=obj)


def atom(feed: type[LatestStoriesFeed]) -> type[LatestStoriesFeed]:
    """The Atom twin of an RSS feed class."""
    return type(f"{feed.__name__}Atom", (feed,), {"feed_type": Atom1Feed,
                                                  "subtitle": feed.description})  # fmt: skip
