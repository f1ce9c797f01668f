"""Old WordPress addresses keep working: each answers with a permanent redirect to the story
or picture it became, once the site itself has nothing at that address."""

import re
from urllib.parse import quote, urlencode

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from articles.listings import public_tags
from articles.models import Article

from .models import ImportedItem, LegacyURL
from .terms import clean_slug
from .uploads import legacy_path

# WordPress's "plain" permalinks: /?p=123 for a post, /?attachment_id=45 for an attachment.
_QUERY_KEYS = (("p", ImportedItem.Kind.ARTICLE), ("attachment_id", ImportedItem.Kind.IMAGE))
_ARCHIVES = re.compile(
    r"^/(category|tag|author)/(?:.+?/)??([^/]+)/(?:(feed)/(?:rss2?/|atom/)?|page/\d+/)?$"
)
_FEEDS = {"section": "feeds:section-rss", "tag": "feeds:tag-rss", "author": "feeds:author-rss"}


def redirect_target(path: str, query) -> str | None:
    """Where an old address now lives, or None. Only live stories are ever a target: an old
    address must not reveal a story that is not (or no longer) published."""
    if "\x00" in path or len(path) > 1000:  # no address of ours; PostgreSQL refuses NUL
        return None
    if path == "/":
        for key, kind in _QUERY_KEYS:
            value = query.get(key, "")
            if value.isascii() and value.isdigit():
                item = ImportedItem.objects.filter(kind=kind, wp_key=value).first()
                return item and _target(kind, item.object_id)
        if query.get("s"):  # WordPress's search
            return f"{reverse('search:results')}?{urlencode({'q': query['s'][:200]})}"
        return None
    if path.rstrip("/") in ("/feed", "/feed/rss2", "/feed/atom", "/comments/feed"):
        return reverse("feeds:latest-rss")
    exact, resized = legacy_path(path, resized=False), legacy_path(path)
    legacy = LegacyURL.objects.filter(path=exact).first() or (
        LegacyURL.objects.filter(path=resized).first() if resized != exact else None
    )
    if legacy:
        if legacy.article_id:
            return _target(ImportedItem.Kind.ARTICLE, legacy.article_id)
        return _target(ImportedItem.Kind.IMAGE, legacy.image_id)
    archive = _ARCHIVES.match(path)
    if archive:
        kind = {"category": "section", "tag": "tag", "author": "author"}[archive.group(1)]
        slug = archive.group(2)
        # WordPress keeps non-Latin slugs percent-encoded; a browser's request arrives decoded.
        keys = {slug, quote(slug, safe="").lower()}
        item = ImportedItem.objects.filter(kind=kind, wp_key__in=keys).first()
        found = _archive(kind, pk=item.object_id) if item else None
        if item is None and kind == ImportedItem.Kind.TAG:  # tags met only on posts
            found = _archive(kind, slug=clean_slug(slug, fallback=""))
        if found is None:
            return None
        if archive.group(3):  # the archive's feed
            return reverse(_FEEDS[kind], kwargs={"slug": found.slug})
        if kind == ImportedItem.Kind.TAG:
            return reverse("tags:detail", kwargs={"slug": found.slug})
        return found.get_absolute_url()
    return None


def _archive(kind: str, **lookup):
    """The section, author or (public) tag a WordPress archive address names, or None."""
    from articles.models import Author
    from sections.models import Section

    if lookup.get("pk", "") is None:
        return None
    queryset = {
        ImportedItem.Kind.SECTION: Section.objects.all(),
        ImportedItem.Kind.AUTHOR: Author.objects.all(),
        ImportedItem.Kind.TAG: public_tags(),
    }[kind]
    return queryset.filter(**lookup).first()


def _target(kind: str, object_id) -> str | None:
    """Where an old story or picture address leads: a live story, or a picture we may show."""
    from media.models import Image

    if object_id is None:
        return None
    if kind == ImportedItem.Kind.ARTICLE:
        article = Article.objects.live().select_related("section").filter(pk=object_id).first()
        return article and article.get_absolute_url()
    image = Image.objects.filter(pk=object_id).first()
    return image and image.is_usable() and image.file.url or None


class LegacyRedirectMiddleware:
    """After the site answered 404 (or for WordPress's /?p=ID form), look the address up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path == "/" and request.GET:
            target = redirect_target("/", request.GET)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return response
        # APPEND_SLASH's guess at an address without its slash counts as a "not found": the
        # newsroom's own pages (/<path>/) match any address that ends in one.
        guessed = response.status_code == 301 and response.get("Location") == (
            request.get_full_path(force_append_slash=True)
        )
        if response.status_code != 404 and not guessed:
            return response
        target = redirect_target(request.path, request.GET)
        return HttpResponsePermanentRedirect(target) if target else response
