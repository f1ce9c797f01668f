"""Preview: the story page drawn from what is in the form now, unsaved changes included.

The story form posts itself here (into a new tab); nothing is written: no story, no revision,
no working copy, no cache entry. The page is the reader's story page, marked as a preview
(a banner, noindex) and never stored by a cache (private, no-store).
"""

import copy

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from django.utils.text import slugify

from articles import roles
from articles.models import Article, Byline, Correction, Source, TaggedArticle
from articles.reading import StoryPage, keep_reading, series_position
from articles.views import render_article
from newsroom import richtext


def story_preview(model_admin, request, pk: int | None = None):
    """GET: a saved story as readers will see it. POST: the form as typed, saved or not."""
    story = get_object_or_404(model_admin.get_queryset(request), pk=pk) if pk else None
    if request.method == "GET":
        if story is None:
            raise Http404("Nothing to preview yet.")
        if not model_admin.has_view_or_change_permission(request, story):
            raise PermissionDenied
        return render_article(request, story, preview=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    # Only who may edit the story (or start one) sees what the form holds.
    allowed = roles.can_edit(request.user, story) if story else roles.can_create(request.user)
    if not allowed:
        raise PermissionDenied
    typed, page = typed_story(model_admin, request, story)
    if typed.section_id is None:
        return _cannot_preview("Choose a section first: the preview is drawn in its page.")
    return render_article(request, typed, preview=True, page=page)


class _PreviewForm:
    """Mixed into the admin's story form: a preview checks no version and refuses nothing,
    it shows what is typed."""

    def clean(self):
        return self.cleaned_data


def typed_story(model_admin, request, saved: Article | None) -> tuple[Article, StoryPage]:
    """An unsaved copy of the story with the form's fields, and its bylines, tags,
    corrections and sources from the form's inlines; fields that do not validate keep their
    saved value."""
    story = copy.copy(saved) if saved else Article(created_by=request.user)
    admin_form = model_admin.get_form(request, saved, change=saved is not None)
    form_class = type("PreviewForm", (_PreviewForm, admin_form), {})
    form = form_class(request.POST, request.FILES, instance=story)
    form.is_valid()  # fills the instance with every field that is valid
    story.body = richtext.sanitize(story.body)  # as saving would
    story.teaser = richtext.sanitize(story.teaser)
    if not story.slug:
        story.slug = slugify(story.headline) or "untitled"
    inlines = _typed_inlines(model_admin, request, story, saved)
    river = keep_reading(story) if story.pk and story.section_id else []
    page = StoryPage(
        bylines=sorted(inlines.get(Byline, []), key=lambda byline: byline.order or 0),
        tags=sorted((link.tag for link in inlines.get(TaggedArticle, [])), key=str),
        corrections=inlines.get(Correction, []),
        sources=sorted(inlines.get(Source, []), key=lambda source: source.order or 0),
        series_position=series_position(story) if story.pk else None,
        river=river,
    )
    return story, page


def _typed_inlines(model_admin, request, story: Article, saved: Article | None) -> dict:
    """{inline model: [unsaved rows as typed]}, leaving out rows marked for deletion."""
    formsets, _ = model_admin._create_formsets(request, story, change=saved is not None)
    rows: dict = {}
    for formset in formsets:
        formset.is_valid()
        deleted = set(formset.deleted_forms) if formset.can_delete else set()
        for form in formset.forms:
            if form in deleted or not form.is_valid():
                continue
            if form.instance.pk is None and not form.has_changed():
                continue  # an empty extra row
            rows.setdefault(formset.model, []).append(form.instance)
    return rows


def _cannot_preview(reason: str) -> HttpResponse:
    response = HttpResponse(format_html("<p>{}</p>", reason), status=400)
    response["Cache-Control"] = "private, no-store"
    return response
