"""The beacon's addresses. `CollectMiddleware` answers them before the URLconf is reached;
the patterns reserve /a/ for the site (sections.addresses: no section or page can take it)
and answer the same way should the middleware be left out."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import collecting

app_name = "audience"
urlpatterns = [
    path(collecting.BEACON_PATH.removeprefix("/a/"), csrf_exempt(collecting.beacon), name="beacon"),
    path(collecting.PIXEL_PATH.removeprefix("/a/"), collecting.pixel, name="pixel"),
]
