from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ckeditor5/", include("django_ckeditor_5.urls")),
    path("media-library/", include("media.urls")),
    path("sections/", include("sections.urls")),
    path("series/", include("sections.series_urls")),
    path("authors/", include("articles.author_urls")),
    path("tags/", include("articles.tag_urls")),
    path("feeds/", include("articles.feed_urls")),
    # Last: story URLs are /<section>/<slug>/.
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(
        0, re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
