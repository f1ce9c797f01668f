from django.urls import path, register_converter

from . import views


class PagePath:
    """A page's address: slugs (at most 100 characters, as Page.slug) joined by slashes, ten
    deep at most. Nothing else reaches the page view, so an address that could never be a
    page (/wp-content/x.png, five thousand characters) is not redirected to one with a slash
    added (APPEND_SLASH) only to be a 404 there."""

    regex = r"[-a-zA-Z0-9_]{1,100}(?:/[-a-zA-Z0-9_]{1,100}){0,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PagePath, "page_path")

app_name = "pages"
urlpatterns = [
    path("<page_path:path>/", views.page_detail, name="detail"),
]
