"""A page as readers see it."""

from django.shortcuts import get_object_or_404, render

from caching.pages import public_page

from .models import Page


@public_page
def page_detail(request, path: str):
    page = get_object_or_404(Page.objects.live(), path=path)
    return render(request, "pages/page_detail.html", {"page": page})
