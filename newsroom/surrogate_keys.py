"""What each public page shows, named in its response headers for the CDN to purge by.

A page carries `site`, and a key for every story, section, series, author and tag it shows:
`story-12`, `section-3`, `series-4`, `author-7`, `tag-climate`. Varnish and Fastly read them
from `Surrogate-Key`, Cloudflare from `Cache-Tag`. A hard change to story 12 purges
`story-12`: the story's page and every river, listing and feed that shows its teaser.

The keys are collected as the request loads those objects from the database, not by each
template: a page cannot show a story it has not loaded, so no partial, view or feed can
forget to name one. A story loaded but not shown only costs a needless purge some day.
Our own page cache (newsroom.middleware) keeps the headers with the page, so a cached copy
names the same keys as the page rendered.
"""

import re
from contextvars import ContextVar

from django.db.models.signals import post_init

from .cache import SITE
from .pages import declared

SURROGATE_KEY = "Surrogate-Key"
CACHE_TAG = "Cache-Tag"
# A page that shows too many things to name (a sitemap of every story) says so instead, and
# every hard change purges it: header sizes are limited (Fastly and Cloudflare: 16 KB).
OVERFLOW = "overflow"
MAX_HEADER_LENGTH = 8000
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

_collected: ContextVar[set | None] = ContextVar("surrogate_keys", default=None)


def story_key(pk) -> str:
    """The key of one story, as pages name it and the services purge it."""
    return f"story-{pk}"


def _key_of(instance) -> str | None:
    label = instance._meta.label
    if label == "taggit.Tag":
        slug = _UNSAFE.sub("", instance.slug or "")
        return f"tag-{slug}" if slug else None
    prefix = KEYED_MODELS.get(label)
    if prefix is None or instance.pk is None:
        return None
    return f"{prefix}-{instance.pk}"


def _loaded(sender, instance, **kwargs) -> None:
    keys = _collected.get()
    if keys is not None:
        key = _key_of(instance)
        if key:
            keys.add(key)


def header_value(keys: set, *, separator: str = " ") -> str:
    """The keys as one header value, `site` first; OVERFLOW when they are too many."""
    value = separator.join([SITE, *sorted(keys - {SITE})])
    if len(value) > MAX_HEADER_LENGTH:
        return separator.join([SITE, OVERFLOW])
    return value


class SurrogateKeyMiddleware:
    """Collect the keys while a public page renders; name them in the response. Sits inside
    the page cache, which stores the headers with the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or declared(request.path_info) is None:
            return self.get_response(request)  # not a public page (newsroom.pages)
        keys = set()
        token = _collected.set(keys)
        try:
            response = self.get_response(request)
        finally:
            _collected.reset(token)
        response[SURROGATE_KEY] = header_value(keys)
        response[CACHE_TAG] = header_value(keys, separator=",")
        return response


def connect() -> None:
    """Listen for the models that have a key being loaded (only while a page collects)."""
    from django.apps import apps

    for label in [*KEYED_MODELS, "taggit.Tag"]:
        post_init.connect(_loaded, sender=apps.get_model(label), dispatch_uid=f"key-{label}")


KEYED_MODELS = {
    "articles.Article": "story",
    "sections.Section": "section",
    "sections.Series": "series",
    "articles.Author": "author",
}
