"""Readable history for the story admin: History in newsroom words, Compare as the story
rendered with its changes marked, and a story shown read-only as readers see it."""

import reversion
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from reversion.models import Version

from articles import roles
from media.body import with_library_pictures
from newsroom import richtext

from . import history, revisions


class _TwoVersions(forms.Form):
    version_id1 = forms.IntegerField(min_value=1)
    version_id2 = forms.IntegerField(min_value=1)


class ReadableHistory:
    """Mixed into ArticleAdmin, before reversion-compare's admin class (which keeps the
    URLs and the revision bookkeeping; the pages are ours)."""

    def log_change(self, request, obj, message):
        # The admin's change message ("Changed Headline.") would replace what the service
        # said the save was ("Published the pending changes #14"): keep the service's words.
        said = reversion.get_comment() if reversion.is_active() else ""
        entry = super().log_change(request, obj, message)
        if said and not history.plain_save(said):
            reversion.set_comment(said)
        return entry

    def _story_or_404(self, request, object_id):
        # reversion-compare looks the story up by id without get_queryset() or a permission
        # check: a contributor could read someone else's embargoed story through it.
        story = self.get_object(request, unquote(object_id))
        if story is None or not self.has_view_or_change_permission(request, story):
            raise Http404("No such story.")
        return story

    def _page(self, request, story, template: str, context: dict):
        return TemplateResponse(request, f"admin/articles/article/{template}", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "story": story,
            "history_url": reverse("admin:articles_article_history", args=[story.pk]),
            "can_restore": roles.can_edit(request.user, story),
            "time_zone": timezone.get_current_timezone_name(),
            **context,
        })  # fmt: skip

    def history_view(self, request, object_id, extra_context=None):
        """Every save and step of the story, newest first, in words."""
        story = self._story_or_404(request, object_id)
        entries = history.timeline(story)
        saves = [entry for entry in entries if entry.version is not None]
        return self._page(request, story, "object_history.html", {
            "title": f"History of “{story.headline}”",
            "entries": entries,
            "newest": saves[0].version if saves else None,
            "previous": saves[1].version if len(saves) > 1 else None,
            "compare_url": reverse("admin:articles_article_compare", args=[story.pk]),
        })  # fmt: skip

    def compare_view(self, request, object_id, extra_context=None):
        """Two saved versions: the story rendered with its changes marked, field by field."""
        story = self._story_or_404(request, object_id)
        form = _TwoVersions(request.GET)
        if not form.is_valid():
            raise Http404("Choose two versions to compare.")
        ids = sorted([form.cleaned_data["version_id1"], form.cleaned_data["version_id2"]])
        versions = Version.objects.get_for_object(story).select_related("revision__user")
        older, newer = (get_object_or_404(versions, pk=pk) for pk in ids)
        names = revisions.Names()
        before, after = revisions.story_at(older, names), revisions.story_at(newer, names)
        return self._page(request, story, "compare.html", {
            # Titled by the story as it is now, not by an old headline.
            "title": f"Compare versions of “{story.headline}”",
            "older": older,
            "newer": newer,
            "older_by": history.full_name(older.revision.user),
            "newer_by": history.full_name(newer.revision.user),
            "changes": revisions.changes(before, after),
            "earlier": versions.filter(pk__lt=older.pk).order_by("-pk").first(),
            "later": versions.filter(pk__gt=newer.pk).order_by("pk").first(),
            "compare_url": reverse("admin:articles_article_compare", args=[story.pk]),
        })  # fmt: skip

    # --- Read-only: the body and teaser as readers see them --------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        as_read = {"body": "body_as_read", "teaser": "teaser_as_read"}
        return [
            (name, {**opts, "fields": [as_read.get(f, f) for f in opts["fields"]]})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "body_as_read", "teaser_as_read"]

    @admin.display(description="body")
    def body_as_read(self, obj):
        # body_html has been through richtext.sanitize; the pictures come from a template.
        return mark_safe(f'<div class="as-read">{with_library_pictures(obj.body_html)}</div>')

    @admin.display(description="teaser")
    def teaser_as_read(self, obj):
        return mark_safe(f'<div class="as-read">{richtext.sanitize(obj.teaser)}</div>')
