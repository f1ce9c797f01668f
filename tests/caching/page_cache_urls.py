"""The site's URLconf plus a few pages for the page-cache tests: declared public or not,
private by Django's own decorators, or using a CSP nonce."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control, never_cache

from caching.pages import public_page


def page(request):
    return HttpResponse(f"<p>{request.path} {request.GET.urlencode()}</p>")


def with_nonce(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')


urlpatterns = [
    path("public/", public_page(page, params=("page",))),
    path("undeclared/", page),
    path("never/", public_page(never_cache(page))),
    path("private/", public_page(cache_control(private=True)(page))),
    path("nonce/", public_page(with_nonce)),
    # The middleware tests call PageCacheMiddleware around their own view: declared here.
    path("t/<slug:name>/", public_page(page)),
    path("", include("newsroom.urls")),
]
