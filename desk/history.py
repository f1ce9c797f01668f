"""Readable history for the story admin: revisions compared as the text readers get, and a
story shown read-only as readers see it rather than as raw HTML."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.diffs import paragraph_diff, word_diff
from media.body import with_library_pictures
from newsroom import richtext

# What an editor asks first of two revisions: what the text says, then who and where.
COMPARE_ORDER = [
    "body", "teaser", "kicker", "headline", "dek", "bylines", "tagged_items", "lead_image",
    "lead_image_caption", "social_image", "section", "series",
]  # fmt: skip


class ReadableHistory:
    """Mixed into ArticleAdmin, before reversion-compare's admin class."""

    compare_template = "admin/articles/article/compare.html"

    def _order_version_queryset(self, queryset):
        # The history's "Live" column reads each revision's mark: one join, not a query a row.
        return super()._order_version_queryset(queryset.select_related("revision__live_mark"))

    def compare(self, obj, version1, version2):
        diff, has_unfollowed_fields = super().compare(obj, version1, version2)

        def rank(item):
            name = item["field"].name
            return COMPARE_ORDER.index(name) if name in COMPARE_ORDER else len(COMPARE_ORDER)

        return sorted(diff, key=rank), has_unfollowed_fields

    def compare_body(self, obj_compare):
        return format_html(
            '<div class="readable-diff">{}</div>',
            paragraph_diff(obj_compare.value1 or "", obj_compare.value2 or ""),
        )

    compare_teaser = compare_body

    def compare_headline(self, obj_compare):
        return format_html(
            '<p class="readable-diff">{}</p>', word_diff(obj_compare.value1, obj_compare.value2)
        )

    compare_dek = compare_kicker = compare_lead_image_caption = compare_headline

    def history_context(self, story) -> dict:
        """The compare page is titled by the story as it is now, not by an old headline."""
        return {"title": f"Compare versions of “{story.headline}”", "story": story}

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
