from django.urls import path

from .corrections import CorrectionsFeed, correction_list

app_name = "corrections"
urlpatterns = [
    path("", correction_list, name="list"),
    path("feed/", CorrectionsFeed(), name="feed"),
]
