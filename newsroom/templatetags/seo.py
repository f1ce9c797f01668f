"""Template helpers for search and social metadata."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsroom import richtext

register = template.Library()

# The same escapes as Django's json_script, so the data cannot close its <script> element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data) -> str:
    """A <script type="application/ld+json"> element holding `data`."""
    if not data:
        return ""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's one address: no tracking or other query parameters, only ?page=N past 1."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page = context.get("page")
    if getattr(page, "number", 1) > 1:
        url += f"?page={page.number}"
    return url


@register.simple_tag(takes_context=True)
def default_social_image(context) -> str:
    """The site's card for pages and stories that have no picture of their own."""
    from django.templatetags.static import static

    return context["request"].build_absolute_uri(static("newsroom/social-card.png"))


@register.filter
def xml_safe(text) -> str:
    """Text for an XML document (sitemaps), without the characters XML cannot carry."""
    return richtext.xml_safe(str(text))
