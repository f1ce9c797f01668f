"""Section and series pages: their live stories, newest first."""

from django.shortcuts import get_object_or_404, render

from articles.listings import paginate, stories_of
from caching.pages import public_page
from newsletters.subscribing import signup_newsletters

from .models import Section, Series


@public_page(params=("page",))
def section_detail(request, slug: str):
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, stories_of(section).for_listing())
    return render(
        request,
        "sections/section_detail.html",
        {
            "section": section,
            "subsections": section.children.all(),
            "meta_title": section.name,
            "meta_description": section.description,
            "signup_newsletters": signup_newsletters(section=section),
            "page": page,
            "articles": page.object_list,
        },
    )


@public_page(params=("page",))
def series_detail(request, slug: str):
    series = get_object_or_404(Series, slug=slug)
    page = paginate(request, stories_of(series).for_listing())
    return render(
        request,
        "sections/series_detail.html",
        {
            "series": series,
            "page": page,
            "articles": page.object_list,
            "meta_title": series.name,
            "meta_description": series.description,
            "signup_newsletters": signup_newsletters(series=series),
        },
    )
