"""Rendered pieces of pages, stored under a key derived from exactly what they show.

A fragment (a teaser, a story's body with its pictures, a byline) is a pure function of a few
values. Its key is a digest of those values, of the templates that draw it and of the media
address, so a fragment is never invalidated: when what it shows changes, its key changes,
and the old entry is simply never asked for again (the cache evicts it). Nothing per request
goes in (no CSP nonce, no CSRF token, no host unless the caller puts it in the key): fragments
are rendered with a plain context, without the request's context processors.

One page asks for all its fragments at once: `{% fragments %}` (articles/templatetags) leaves a
placeholder for each while the page renders, then fetches them with one `cache.get_many`,
renders only the missing ones and stores those with one `cache.set_many`. If the cache is
down (django-redis's IGNORE_EXCEPTIONS), every fragment is rendered, as if nothing were
stored: a page never fails for it.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

# Bump when the Python that feeds a fragment's template changes what it renders.
CODE_VERSION = "2"
# Fragments are found by content, not expired by time; this only bounds what a cache without
# eviction (local memory in development) keeps of fragments no page asks for any more.
TIMEOUT = 7 * 24 * 3600

_versions: dict[tuple[str, ...], str] = {}


def templates_version(*names: str) -> str:
    """A digest of these templates' source, the code version and where media is served from:
    a deploy that changes how a fragment is drawn changes every key that uses it."""
    if names not in _versions:
        digest = hashlib.blake2b(digest_size=8)
        digest.update(f"{CODE_VERSION}|{default_storage.url('x')}|{settings.STATIC_URL}".encode())
        for name in names:
            digest.update(get_template(name).template.source.encode())
        _versions[names] = digest.hexdigest()
    return _versions[names]


def key(kind: str, *parts) -> str:
    """The cache key of a fragment of `kind` showing `parts`: strings, numbers, dates, lists.
    As JSON, so a value reads the same fresh from the database as in memory (a choice is its
    string, a date its ISO form)."""
    data = json.dumps(parts, default=str, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.blake2b(data.encode(), digest_size=16)
    return f"fragment:{kind}:{digest.hexdigest()}"


def get_many(keys: Iterable[str]) -> dict[str, str]:
    """The stored fragments among `keys`; nothing when the cache is unavailable."""
    keys = list(keys)
    return (cache.get_many(keys) or {}) if keys else {}


def set_many(fragments: dict[str, str]) -> None:
    """Store rendered fragments; a cache outage only means rendering them again next time."""
    if fragments:
        cache.set_many(fragments, timeout=TIMEOUT)


def cached(fragment_key: str, render: Callable[[], str]) -> SafeString:
    """One fragment on its own (outside a page's batch): stored, else rendered and stored."""
    html = get_many([fragment_key]).get(fragment_key)
    if html is None:
        html = str(render())
        set_many({fragment_key: html})
    return mark_safe(html)  # noqa: S308 - our own rendered, escaped template output


class Batch:
    """The fragments one page render asks for: a placeholder for each while the page renders,
    then one multi-get for all of them."""

    def __init__(self):
        self._token = secrets.token_hex(8)
        self._renderers: dict[str, Callable[[], str]] = {}  # in order of first use
        self._index: dict[str, int] = {}
        self._pattern = re.compile(rf"<!--fragment:{self._token}:(\d+)-->")

    def placeholder(self, fragment_key: str, render: Callable[[], str]) -> SafeString:
        """Where `fragment_key` goes; `render` draws it if it is not stored."""
        if fragment_key not in self._index:
            self._index[fragment_key] = len(self._index)
            self._renderers[fragment_key] = render
        return mark_safe(f"<!--fragment:{self._token}:{self._index[fragment_key]}-->")  # noqa: S308

    def resolve(self, html: str) -> str:
        """`html` with every placeholder replaced by its fragment."""
        if not self._index:
            return html
        found = get_many(self._index)
        rendered = {k: str(render()) for k, render in self._renderers.items() if k not in found}
        set_many(rendered)
        found |= rendered
        fragments = [found[k] for k in self._index]
        return self._pattern.sub(lambda match: fragments[int(match.group(1))], html)
