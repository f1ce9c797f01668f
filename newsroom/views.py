from django.http import HttpResponse
from django.urls import reverse


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


def fixed_page(request):
    """The benchmark's ceiling: a fixed page of ?size= bytes through the same server and
    middleware as every other page, doing no work of its own (only when BENCHMARK_VIEWS)."""
    try:
        size = min(max(int(request.GET.get("size", "60000")), 1), 1_000_000)
    except ValueError:
        size = 60000
    return HttpResponse(_FILLER[:size], content_type="text/html; charset=utf-8")


_FILLER = "<!doctype html><title>Fixed</title>" + "<p>newsroom benchmark filler.</p>" * 40000
