from django.http import HttpResponse
from django.urls import reverse

from caching.pages import public_page


@public_page
def robots_txt(request):
    """Crawlers: everything public, nothing in the admin or previews, and where the maps are."""
    absolute = request.build_absolute_uri
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute(reverse('sitemap-index'))}",
        f"Sitemap: {absolute(reverse('sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
