"""The public archive: a newsletter's sent issues, and each issue's web version.
Included last from newsletters/urls.py (the slug patterns would otherwise shadow its pages)."""

from django.urls import path

from . import archive_views

urlpatterns = [
    path("<slug:slug>/", archive_views.archive, name="archive"),
    path("<slug:slug>/<int:number>/", archive_views.issue_detail, name="issue"),
]
