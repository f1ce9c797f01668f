"""Public pages and reader content are declared where they live, not listed: a view says it is
a public page (caching.pages), a model says whether readers see it (caching.invalidation), and a
system check catches a model that forgot."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from articles.models import Article
from caching.checks import check_reader_content_declared, undeclared
from caching.invalidation import content_models
from caching.pages import declared


@pytest.mark.parametrize(
    "path, params",
    [
        ("/", {"page"}),
        ("/europe/a-story/", set()),
        ("/sections/europe/", {"page"}),
        ("/series/diplomacy-watch/", {"page"}),
        ("/authors/someone/", {"page"}),
        ("/tags/ukraine/", {"page"}),
        ("/search/", {"q", "section", "series", "author", "from", "to", "page"}),
        ("/corrections/", {"page"}),
        ("/corrections/feed/", set()),
        ("/feeds/rss/", {"full"}),
        ("/feeds/sections/europe/atom/", {"full"}),  # the feed classes inherit it
        ("/feeds/tags/ukraine/rss/", {"full"}),
        ("/sitemap.xml", set()),
        ("/sitemap-stories.xml", {"p"}),
        ("/news-sitemap.xml", set()),
        ("/robots.txt", set()),
    ],
)
def test_public_pages_declare_the_parameters_they_read(path, params):
    page = declared(path)
    assert page is not None and page.params == params


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/articles/article/", "/preview/some-token/", "/media-library/editor-upload/",
     "/_bench/fixed/", "/no/such/address/here"],
)  # fmt: skip
def test_everything_else_is_not_a_public_page(path):
    assert declared(path) is None


def test_the_models_readers_see_are_the_ones_that_say_so():
    labels = {model._meta.label for model in content_models()}
    assert {"articles.Article", "articles.Byline", "articles.Correction", "media.Image",
            "sections.Section", "newsroom.SiteSettings", "taggit.Tag"} <= labels  # fmt: skip
    assert not labels & {"articles.Transition", "articles.WorkingCopy", "desk.Notification"}


def test_the_project_passes_the_check():
    assert check_reader_content_declared() == []


@isolate_apps("articles")
def test_a_model_pointing_at_reader_content_must_say_whether_readers_see_it():
    class Sidebar(models.Model):  # noqa: DJ008
        story = models.ForeignKey(Article, on_delete=models.CASCADE)

        class Meta:
            app_label = "articles"

    class Shown(models.Model):  # noqa: DJ008
        reader_change_on_save = "soft"
        story = models.ForeignKey(Article, on_delete=models.CASCADE)

        class Meta:
            app_label = "articles"

    class Misspelt(models.Model):  # noqa: DJ008
        reader_change_on_save = "sotf"

        class Meta:
            app_label = "articles"

    errors = undeclared([Sidebar, Shown, Misspelt])
    assert [(e.id, e.obj) for e in errors] == [
        ("caching.E002", Sidebar),
        ("caching.E001", Misspelt),
    ]
    assert "articles.Article" in errors[0].msg
