"""Section and series pages: their live stories, newest first."""

from django.shortcuts import get_object_or_404, render

from articles.models import Article
from articles.views import paginate
from newsletters.subscribing import signup_newsletters

from .models import Section, Series


def section_detail(request, slug: str):
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, Article.objects.live().in_section(section).for_listing())
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


def series_detail(request, slug: str):
    series = get_object_or_404(Series, slug=slug)
    page = paginate(request, Article.objects.live().filter(series=series).for_listing())
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
