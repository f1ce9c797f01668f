from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from articles.sitemaps import SITEMAPS, NewsSitemap
from audience.redirects import newsletter_click
from caching.pages import public_page

from .admin import view_on_site
from .views import robots_txt

# 503 with Retry-After when the database is down, the usual 500 otherwise.
handler500 = "newsroom.outage.server_error"

urlpatterns = [
    # Before the admin's own "View on site" redirect, which it replaces.
    path(
        # <path:…>, as the admin's own pattern: every form of the address ("+7", " 7") must
        # reach this view, not fall through to the one it replaces.
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="admin-view-on-site",
    ),
    path("admin/", admin.site.urls),
    # Not django_ckeditor_5.urls: its upload view stores files as sent (name, EXIF, GPS) for
    # any staff user. The editor uploads through media:editor-upload, the library's checks.
    path("media-library/", include("media.urls")),
    path("sections/", include("sections.urls")),
    path("series/", include("sections.series_urls")),
    path("authors/", include("articles.author_urls")),
    path("tags/", include("articles.tag_urls")),
    path("search/", include("articles.search_urls")),
    path("corrections/", include("articles.correction_urls")),
    path("feeds/", include("articles.feed_urls")),
    path("newsletters/webhooks/", include("newsletters.webhook_urls")),
    path("newsletters/", include("newsletters.urls")),
    path("contact/", include("contact.urls")),
    # A newsletter issue's signed story links (audience/redirects.py): short, so "n" is
    # reserved, and no section or page may take it.
    path("n/<str:token>/", newsletter_click, name="newsletter-click"),
    path("a/", include("audience.urls")),  # the audience beacon (audience.collecting)
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, params=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "news-sitemap.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    # Last: story URLs are /<section>/<slug>/, then the newsroom's own pages (/about/).
    path("", include("articles.urls")),
    path("", include("pages.urls")),
]

if apps.is_installed("devtools"):  # development, tests and the benchmark's gunicorn only
    urlpatterns.insert(0, path("_bench/", include("devtools.urls")))

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(
        0, re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
