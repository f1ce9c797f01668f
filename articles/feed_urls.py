from django.urls import path

from . import feeds

app_name = "feeds"
urlpatterns = []
for prefix, name, feed in [
    ("", "latest", feeds.LatestStoriesFeed),
    ("sections/<slug:slug>/", "section", feeds.SectionFeed),
    ("series/<slug:slug>/", "series", feeds.SeriesFeed),
    ("authors/<slug:slug>/", "author", feeds.AuthorFeed),
    ("tags/<slug:slug>/", "tag", feeds.TagFeed),
]:
    urlpatterns += [
        path(f"{prefix}rss/", feed(), name=f"{name}-rss"),
        path(f"{prefix}atom/", feeds.atom(feed)(), name=f"{name}-atom"),
    ]
