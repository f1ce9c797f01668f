"""Which views are public pages, declared next to each view.

`@public_page(params=("page",))` says: this view shows every anonymous reader the same page
for the same address and these query parameters, so the page cache may keep it
(caching.middleware), which also names what it shows for the CDN (caching.keys). Any
other parameter (`?utm_source=…`) is left out of the cache key: the view does not read it.

A view without the declaration is never page-cached: the admin, previews, the media
library, uploads, the benchmark's fixed page. Nothing has to be listed elsewhere, and a view
forgotten here is only slower, never wrong. Private views say so with Django's own
decorators (`never_cache`, `cache_control(private=True)`).
"""

from dataclasses import dataclass
from functools import lru_cache, wraps

from django.core.signals import setting_changed
from django.urls import Resolver404, resolve


@dataclass(frozen=True)
class PublicPage:
    """What a public page's cache key depends on besides its address."""

    params: frozenset[str]


def public_page(view=None, *, params: tuple[str, ...] = ()):
    """Declare `view` (a function, or a class whose instances are views, such as a Feed) a
    public page that reads only the query parameters `params`. Usable bare or with params;
    a function is wrapped, never changed, so Django's own views can be declared in a URLconf
    (`public_page(sitemap_views.sitemap, params=("p",))`)."""
    declaration = PublicPage(params=frozenset(params))

    def declare(view):
        if isinstance(view, type):
            view.public_page = declaration
            return view

        @wraps(view)
        def page(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        page.public_page = declaration
        return page

    return declare(view) if view is not None else declare


MAX_REMEMBERED_PATH = 300


def declared(path_info: str) -> PublicPage | None:
    """The declaration of the view that answers `path_info`, or None. The URLconf does not
    change while the process runs, so each address is resolved once (resolving costs about
    as much as the rest of a cache hit); a crawler of random addresses only evicts."""
    if len(path_info) > MAX_REMEMBERED_PATH:  # bounded memory, whatever is requested
        return _resolve(path_info)
    return _remembered(path_info)


def _resolve(path_info: str) -> PublicPage | None:
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_page", None)


_remembered = lru_cache(maxsize=4096)(_resolve)


def _forget(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # tests that swap the URLconf
        _remembered.cache_clear()


setting_changed.connect(_forget)
