"""Old WordPress addresses keep working: each answers with a permanent redirect to the story
or picture it became, once the site itself has nothing at that address."""

import re

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from articles.models import Article
from articles.models.article import public_tags

from .models import ImportedItem, LegacyURL
from .terms import clean_slug
from .uploads import legacy_path

# WordPress's "plain" permalinks: /?p=123 for a post, /?attachment_id=45 for an attachment.
_QUERY_KEYS = (("p", ImportedItem.Kind.ARTICLE), ("attachment_id", ImportedItem.Kind.IMAGE))
_ARCHIVES = re.compile(r"^/(category|tag|author)/(?:.+/)?([^/]+)/?$")


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
        return None
    legacy = LegacyURL.objects.filter(path=legacy_path(path)).first()
    if legacy:
        if legacy.article_id:
            return _target(ImportedItem.Kind.ARTICLE, legacy.article_id)
        return _target(ImportedItem.Kind.IMAGE, legacy.image_id)
    archive = _ARCHIVES.match(path)
    if archive:
        kind = {"category": "section", "tag": "tag", "author": "author"}[archive.group(1)]
        item = ImportedItem.objects.filter(kind=kind, wp_key=archive.group(2)).first()
        if item is None and kind == ImportedItem.Kind.TAG:  # tags met only on posts
            tag = public_tags().filter(slug=clean_slug(archive.group(2), fallback="")).first()
            return tag and _target(kind, tag.pk)
        return item and _target(kind, item.object_id)
    return None


def _target(kind: str, object_id) -> str | None:
    from articles.models import Author
    from media.models import Image
    from sections.models import Section

    if object_id is None:
        return None
    if kind == ImportedItem.Kind.ARTICLE:
        article = Article.objects.live().select_related("section").filter(pk=object_id).first()
        return article and article.get_absolute_url()
    if kind == ImportedItem.Kind.IMAGE:
        image = Image.objects.filter(pk=object_id).first()
        return image and image.is_usable() and image.file.url or None
    if kind == ImportedItem.Kind.TAG:
        tag = public_tags().filter(pk=object_id).first()
        return tag and reverse("tags:detail", kwargs={"slug": tag.slug})
    model = {ImportedItem.Kind.SECTION: Section, ImportedItem.Kind.AUTHOR: Author}[kind]
    found = model.objects.filter(pk=object_id).first()
    return found and found.get_absolute_url()


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
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = redirect_target(request.path, request.GET)
        return HttpResponsePermanentRedirect(target) if target else response
