"""The site's URLs with a stand-in contact form at /contact/, for the author pages' "Write to"
link while the contact form is another part's work (a real one answers the same address)."""

from django.http import HttpResponse
from django.urls import include, path


def contact_form(request):
    return HttpResponse(f"Write to {request.GET.get('author', 'us')}")


urlpatterns = [
    path("contact/", contact_form, name="contact-stand-in"),
    path("", include("newsroom.urls")),
]
