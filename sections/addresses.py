"""Who owns the first part of an address: the site itself, a section or a page.

Story URLs are /<section>/<story>/ and the newsroom's own pages live at the root (/about/),
so a section's slug and a top-level page's slug share one space with the site's own prefixes
(/feeds/, /admin/, /sitemap.xml). The site's prefixes are read from the URLconf, not kept by
hand: a new app's URLs are reserved the day they are added.
"""

import re
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern, _route_to_regex

# A regular expression's characters: a prefix holding one is not a plain word.
_REGEX_CHARS = set("^$.*+?()[]{}|\\")


def _first_segment(pattern) -> tuple[str | None, str | None]:
    """(literal, route) for a pattern's first path segment: the literal word ("feeds"), or
    the route of a segment with converters in it ("sitemap-<section>.xml"); (None, None) for
    a segment that is only a converter (<slug:section>, <path:path>: the catch-alls) or none."""
    if isinstance(pattern, RoutePattern):
        segment = str(pattern).split("/", 1)[0]
        if not segment:
            return None, None
        if "<" not in segment:
            return segment, None
        if segment.startswith("<") and segment.endswith(">") and segment.count("<") == 1:
            return None, None
        return None, segment
    if isinstance(pattern, RegexPattern):
        segment = str(pattern).lstrip("^").split("/", 1)[0]
        if segment and not _REGEX_CHARS & set(segment):
            return segment, None
    return None, None


def _walk(patterns):
    """Each top-level pattern; an include at the root ("" prefix) is walked into."""
    for entry in patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) in ("", "^"):
            yield from _walk(entry.url_patterns)
        elif isinstance(entry, URLPattern | URLResolver):
            yield entry.pattern


@lru_cache(maxsize=1)
def _site_prefixes() -> tuple[frozenset[str], tuple]:
    literal, routes = set(), []
    for pattern in _walk(get_resolver().url_patterns):
        word, route = _first_segment(pattern)
        if word:
            literal.add(word)
        elif route:
            routes.append(_route_to_regex(route, is_endpoint=True)[0])
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url and url.startswith("/") and url.strip("/"):
            literal.add(url.strip("/").split("/", 1)[0])
    return frozenset(literal), tuple(re.compile(route) for route in routes)


def reserved_prefixes() -> frozenset[str]:
    """The first path segments the site itself uses ("admin", "feeds", "sitemap.xml"…)."""
    return _site_prefixes()[0]


def used_by_site(slug: str) -> bool:
    """Whether /<slug>/ is one of the site's own addresses (a literal prefix, or a pattern
    such as sitemap-<section>.xml that the word fits)."""
    literal, patterns = _site_prefixes()
    return slug in literal or any(pattern.fullmatch(slug) for pattern in patterns)


def _forget(*, setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "STATIC_URL", "MEDIA_URL"):  # tests that swap them
        _site_prefixes.cache_clear()


setting_changed.connect(_forget)


def clash(slug: str, *, section_pk=None, page_pk=None) -> str | None:
    """Why `slug` cannot be the slug of a section, or of a top-level page, or None if it can.
    The section or page being saved (`section_pk`, `page_pk`) does not clash with itself."""
    if used_by_site(slug):
        return f"“{slug}” is an address the site itself uses (/{slug}/)."
    # Looked up by name: sections and pages each call this, neither imports the other.
    section = (
        apps.get_model("sections", "Section").objects.filter(slug=slug).exclude(pk=section_pk)
    ).first()
    if section is not None:
        return f"“{slug}” is the address of the section “{section.name}” (/{slug}/…)."
    if apps.is_installed("pages"):
        page = (
            apps.get_model("pages", "Page")
            .objects.filter(slug=slug, parent__isnull=True)
            .exclude(pk=page_pk)
            .first()
        )
        if page is not None:
            return f"“{slug}” is the address of the page “{page.title}” (/{slug}/)."
    return None
