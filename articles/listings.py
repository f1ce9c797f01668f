"""The listings: which live stories the site, a section, a series, an author or a tag lists,
and how a listing is paged.

Defined once here and used by the reader pages, their feeds, the sitemaps and
`explain_listings`, so a page, its feed and its sitemap entry can never disagree.

Each listing has a key (`stories`, `stories-section-3`, `stories-tag-9`…, caching.keys): a
page that draws a listing names it, and a story that joins or leaves a listing, or moves
in it, drops the pages that name it (articles.services). A listing also bounds how long a
page showing it stays right: until its next scheduled story goes live (articles.schedule).
"""

import re

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from taggit.models import Tag

from caching import keys as cache_keys
from sections.models import Section, Series

from . import schedule
from .keys import ALL
from .models import Article, ArticleQuerySet, Author

# What each kind of listing lists, as a condition on a story. It takes an object (a page, a
# feed) or OuterRef("pk") (which sections, authors… have a story at all: the sitemaps).
# Each keeps the shape the indexes serve (see Article.Meta.indexes and explain_listings).
CONDITIONS = {
    # A section lists its subsections' stories too (Regions lists Europe's).
    Section: lambda section: Q(section=section) | Q(section__parent=section),
    Series: lambda series: Q(series=series),
    Author: lambda author: Q(bylines__author=author),
    Tag: lambda tag: Q(tagged_items__tag=tag),
}


def _condition(model, subject) -> Q:
    try:
        return CONDITIONS[model](subject)
    except KeyError:
        raise TypeError(f"There is no listing of {model.__name__} objects.") from None


def listing_key(subject=None) -> str:
    """The key of the whole site's listing (no subject), or of a section's, series', author's
    or tag's: what a page that draws it names, and what a story joining it drops."""
    return ALL if subject is None else f"stories-{cache_keys.key_of(subject)}"


def shows(subject=None) -> None:
    """Say that the page being rendered draws this listing."""
    key = listing_key(subject)
    cache_keys.show(key, until=schedule.next_change(key))


def stories_of(subject=None) -> ArticleQuerySet:
    """The live stories a listing shows, newest first: the whole site's (no subject), or those
    of a section (subsections included), a series, an author or a tag. The page being
    rendered names the listing (`shows`)."""
    shows(subject)
    stories = Article.objects.live()
    if subject is not None:
        stories = stories.filter(_condition(type(subject), subject))
    return stories.order_by("-publish_at", "-pk")


def with_stories(subjects: QuerySet) -> QuerySet:
    """Those of `subjects` (sections, series, authors or tags) whose listing has at least one
    live story, by the same conditions as stories_of(): what the sitemaps list."""
    condition = _condition(subjects.model, OuterRef("pk"))
    return subjects.filter(Exists(Article.objects.live().filter(condition)))


def public_tags() -> QuerySet:
    """Tags readers may see: those at least one live story carries. The tags of an
    unpublished story alone would reveal what it is about."""
    return with_stories(Tag.objects.all())


class Uncounted(TypeError):
    """Asked an UncountedPaginator for its total. In a template the total is simply unknown
    (empty, thanks to silent_variable_failure); in Python it is a mistake worth an error."""

    silent_variable_failure = True


class UncountedPaginator(Paginator):
    """A Paginator that never counts: a COUNT over a 100,000-story archive reads every row it
    counts. Each page fetches one row more than it shows, to know whether there is a next.

    Its pages work like any Django page (number, object_list, has_next, has_previous,
    next_page_number, …); only the total (`count`, `num_pages`, `page_range`) is unknown.
    """

    def __init__(self, object_list, per_page, allow_empty_first_page=True, error_messages=None):
        super().__init__(object_list, per_page, 0, allow_empty_first_page, error_messages)

    @property
    def count(self):
        raise Uncounted("An UncountedPaginator does not know how many items there are.")

    @property
    def num_pages(self):
        raise Uncounted("An UncountedPaginator does not know how many pages there are.")

    def validate_number(self, number) -> int:
        """A whole number from 1; whether the page exists is known only by fetching it."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number) -> "UncountedPage":
        """The page, or EmptyPage past the end (and for an empty first page if not allowed)."""
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        rows = list(self.object_list[offset : offset + self.per_page + 1])
        if not rows and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage(self.error_messages["no_results"])
        return UncountedPage(
            rows[: self.per_page], number, self, has_next=len(rows) > self.per_page
        )


class UncountedPage(Page):
    """A page of an UncountedPaginator: it knows whether another follows, not how many."""

    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def __repr__(self):
        return f"<Page {self.number}>"

    def has_next(self) -> bool:
        return self._has_next

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def page_number(request) -> int:
    """?page= as a number; anything but a plain positive number is a 404, never a 500."""
    raw = request.GET.get("page")
    if raw is not None and not _PAGE_NUMBER.fullmatch(raw):
        raise Http404("No such page.")
    return int(raw or 1)


def paginate(request, items, per_page: int = 20, *, count: bool = False) -> Page:
    """The page of `items` that ?page= asks for; past the end is a 404. Uncounted unless
    count=True (search results show their total)."""
    paginator = (Paginator if count else UncountedPaginator)(items, per_page)
    try:
        return paginator.page(page_number(request))
    except InvalidPage as error:
        raise Http404("No such page.") from error
