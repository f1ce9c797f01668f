"""Public newsletter pages: the list, the sign-up form's target, and the signed-link pages.
The archive (`archive`, `issue`) comes from archive_urls.py (nl-issues), included last."""

from django.urls import include, path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("", views.newsletter_list, name="list"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

# Last: the archive's /<slug>/ patterns would shadow the pages above.
urlpatterns.append(path("", include("newsletters.archive_urls")))
