"""RSS 2.0 and Atom feeds: the whole site, and per section, series, author and tag.

Every feed lists what its page lists (articles.listings.stories_of). Items carry the preview
(or, with ?full=1, the whole story) with the lead image and its credit, and the image as an
enclosure.
"""

import copy
import mimetypes
import re

from django.contrib.syndication.views import Feed
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import format_html

from caching.pages import public_page
from media.body import library_images_in, with_library_pictures
from media.templatetags.pictures import picture_context
from newsroom import richtext
from newsroom.models import SiteSettings
from sections.models import Section, Series

from .listings import stories_of
from .models import Author

FEED_LENGTH = 30
_SITE_RELATIVE = re.compile(r'((?:src|href)=")(/[^/"][^"]*)"')


def absolute_urls(html: str, request) -> str:
    """Feed readers have no base address: make site-relative links and images absolute."""
    return _SITE_RELATIVE.sub(lambda m: f'{m[1]}{request.build_absolute_uri(m[2])}"', html)


def _xml_safe(value):
    if isinstance(value, str):
        return richtext.xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    return value


class XmlSafeFeed(Feed):
    """A feed that drops the characters XML cannot carry from every text it writes: one
    control character in a caption would otherwise make the whole feed a server error."""

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for data in (feed.feed, *feed.items):
            for key, value in data.items():
                data[key] = _xml_safe(value)
        return feed


@public_page(params=("full",))  # and every feed below, its subclasses
class LatestStoriesFeed(XmlSafeFeed):
    """The newest live stories on the whole site. A subclass names what else it lists (a
    section, series, author or tag) in get_object(); stories_of() knows its stories."""

    def title(self, obj=None):
        name = SiteSettings.get_solo().site_name
        return f"{name}: {obj}" if obj else name

    def link(self, obj=None):
        return obj.get_absolute_url() if obj is not None else "/"

    def description(self, obj=None):
        return SiteSettings.get_solo().tagline

    def items(self, obj=None):
        stories = list(
            stories_of(obj).select_related("section", "lead_image").with_bylines()[:FEED_LENGTH]
        )
        # Body images of every item, and the renditions of every picture, in two queries.
        bodies = "".join(story.body for story in stories) if self.full_content else ""
        self.body_images = library_images_in(bodies, with_renditions=False)
        pictures = [s.lead_image for s in stories if s.lead_image] + [*self.body_images.values()]
        prefetch_related_objects(pictures, "renditions")
        return stories

    def item_title(self, item):
        # Feed readers show little beyond the title: a sponsored story says so in it.
        if item.is_sponsored:
            return f"{item.get_article_type_display()}: {item.headline}"
        return item.headline

    def item_description(self, item):
        if self.full_content:
            text = with_library_pictures(item.body_html, self.body_images)
        else:
            text = item.preview_html
        image = item.lead_image
        if image and image.file:
            figure = render_to_string(
                "includes/picture.html",
                picture_context(image, "lead", caption=item.lead_image_caption, eager=True),
            )
            text = figure + text
        if item.is_sponsored:
            disclosure = SiteSettings.get_solo().disclosure(item.sponsor_name)
            text = format_html("<p><strong>{}</strong></p>", disclosure) + text
        return absolute_urls(text, self.request)

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at or item.publish_at

    def item_author_name(self, item):
        return ", ".join(b.author.name for b in item.bylines.all()) or None

    def item_categories(self, item):
        if item.is_sponsored:  # "Sponsored" or "Partner content", beside the section
            return [item.section.name, item.get_article_type_display()]
        return [item.section.name]

    def item_enclosures(self, item):
        image = item.lead_image
        if not image or not image.file or not image.file_size:
            return []
        mime = mimetypes.guess_type(image.file.name)[0] or "image/jpeg"
        url = self.request.build_absolute_uri(image.file.url)
        return [Enclosure(url, str(image.file_size), mime)]

    def __call__(self, request, *args, **kwargs):
        # The URLconf holds one instance for all requests: per-request state goes on a copy.
        feed = copy.copy(self)
        feed.request = request
        feed.full_content = request.GET.get("full") == "1"
        return Feed.__call__(feed, request, *args, **kwargs)


class SectionFeed(LatestStoriesFeed):
    """A section's stories, its subsections' included."""

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)


class SeriesFeed(LatestStoriesFeed):
    """A series' installments."""

    def get_object(self, request, slug):
        return get_object_or_404(Series, slug=slug)


class AuthorFeed(LatestStoriesFeed):
    """The stories an author has a byline on."""

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)


class TagFeed(LatestStoriesFeed):
    """The stories with a tag; only a tag a live story carries has a feed."""

    def get_object(self, request, slug):
        from .views import public_tag

        return public_tag(slug)

    def link(self, obj=None):
        return reverse("tags:detail", kwargs={"slug": obj.slug})


def atom(feed: type[LatestStoriesFeed]) -> type[LatestStoriesFeed]:
    """The Atom twin of an RSS feed class."""
    return type(f"{feed.__name__}Atom", (feed,), {"feed_type": Atom1Feed,
                                                  "subtitle": feed.description})  # fmt: skip
