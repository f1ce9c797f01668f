"""`{% audience_beacon %}`: the beacon's script tag and its no-JavaScript pixel, for the
public base template (docs/audience.md, "Counting").

What they carry is what the page is (story 12, page 3, or another page), the same for every
reader, so a page served from our cache or a CDN still counts. Nothing is rendered where
counting would be wrong: previews, addresses carrying a signed link's token (newsletter
confirmations, shared previews), the desk, or with AUDIENCE_ENABLED off.
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

from ..models import Kind

register = template.Library()


@register.inclusion_tag("includes/audience_beacon.html", takes_context=True)
def audience_beacon(context, kind: str = Kind.OTHER, object_id: int = 0, *, search=False):
    """The beacon for a page of `kind` (story, page or other) and `object_id`; `search` adds
    what was searched for (our search page)."""
    request = context.get("request")
    if not _counted(context, request):
        return {"counted": False}
    pixel = {"t": kind, "i": object_id, "p": request.path}
    if search:
        pixel["q"] = request.GET.get("q", "")
    return {
        "counted": True,
        "kind": kind,
        "object_id": object_id,
        "search": search,
        "beacon_url": reverse("audience:beacon"),
        "pixel_url": f"{reverse('audience:pixel')}?{urlencode(pixel)}",
    }


def _counted(context, request) -> bool:
    if not settings.AUDIENCE_ENABLED or request is None or context.get("preview"):
        return False
    match = request.resolver_match
    return match is None or ("admin" not in match.namespaces and "token" not in match.kwargs)
