"""Mounted at /_bench/ by newsroom/urls.py only when devtools is installed."""

from django.urls import path

from .views import fixed_page

app_name = "devtools"
urlpatterns = [path("fixed/", fixed_page, name="fixed-page")]
