from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from desk.accents import FoldedSearch

from .forms import ImageAdminForm
from .models import Image
from .renditions import build_renditions
from .services import attach_upload


class RightsFilter(admin.SimpleListFilter):
    title = "rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [("expired", "Rights expired"), ("expiring", "Expiring within 30 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "expired":
            return queryset.filter(usable_until__lt=today)
        if self.value() == "expiring":
            return queryset.filter(
                usable_until__gte=today, usable_until__lte=today + timezone.timedelta(days=30)
            )
        return queryset


def picture_uses(image: Image) -> list[tuple[str, str]]:
    """Where a picture is used, as (label, admin link): stories link to their form (any role
    that may delete pictures may open any story); authors and series are named."""
    from articles.models import Article, Author
    from sections.models import Series

    in_body = Q(body__contains=image.file.url) if image.file else Q(pk__in=[])
    stories = Article.objects.filter(Q(lead_image=image) | Q(social_image=image) | in_body)
    uses = [
        (f"the story “{story}”", reverse("admin:articles_article_change", args=[story.pk]))
        for story in stories.only("pk", "headline").order_by("-modified_at")
    ]
    uses += [(f"the author {a}", "") for a in Author.objects.filter(photo=image)]
    uses += [(f"the series {s}", "") for s in Series.objects.filter(image=image)]
    return uses


@admin.register(Image)
class ImageAdmin(FoldedSearch, admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "usable_until"]
    list_filter = [RightsFilter]
    search_fields = [
        "title__unaccent", "caption__unaccent", "credit__unaccent", "alt_text__unaccent",
        "source__unaccent",
    ]  # fmt: skip
    readonly_fields = [
        "focal_preview", "width", "height", "file_size", "uploaded_by_name", "created_at",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["upload", "focal_preview", ("focal_x", "focal_y")]}),
        ("For readers", {"fields": ["title", "alt_text", "caption", "credit"]}),
        ("Rights", {"fields": ["copyright_notice", "source", "licence", "usable_until"]}),
        (
            "File",
            {"fields": [("width", "height", "file_size"), ("uploaded_by_name", "created_at")]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read only: no upload box to show (it would read "None").
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "upload"]})
            for name, opts in fieldsets
        ]

    @admin.display(description="uploaded by")
    def uploaded_by_name(self, obj):
        user = obj.uploaded_by if obj else None
        return (user.get_full_name() or user.get_username()) if user else "—"

    class Media:
        js = ["media/focal_point.js"]
        css = {"all": ["media/focal_point.css"]}

    @admin.display(description="preview")
    def thumbnail(self, obj):
        if not obj or not obj.file:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-height:80px;width:auto">', obj.file.url, obj.alt_text
        )

    @admin.display(description="focal point")
    def focal_preview(self, obj):
        if not obj or not obj.file:
            return "Upload a file, save, then click the picture to set its focal point."
        return format_html(
            '<span><img class="focal-preview" src="{}" alt="" style="max-width:480px;height:auto">'
            "</span>",
            obj.file.url,
        )

    def get_search_results(self, request, queryset, search_term):
        """The pickers of a story's lead and social picture (and an author's or a series'
        picture) offer only credited pictures: readers never see one without its credit."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            queryset = queryset.filter(credit__regex=r"\S")
        return queryset, may_have_duplicates

    def changelist_view(self, request, extra_context=None):
        expired = Image.objects.filter(usable_until__lt=timezone.localdate()).count()
        if expired:
            messages.warning(
                request,
                f"{expired} image(s) are past their “usable until” date and hidden from readers. "
                "Filter by rights: “Rights expired” to replace them.",
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        if form.inspected is not None:
            attach_upload(obj, form.inspected, filename=form.cleaned_data["upload"].name)
        obj.save()
        # Crops follow the file and the focal point: rebuild them when either changed.
        reshaped = form.inspected is not None or {"focal_x", "focal_y"} & set(form.changed_data)
        if settings.IMAGE_RENDITIONS_ON_UPLOAD and (reshaped or not change):
            build_renditions(obj, force=True)

    delete_confirmation_template = "admin/media/image/delete_confirmation.html"

    def get_deleted_objects(self, objs, request):
        # Refuse to delete an image a story, author or series uses, and say where. A use is
        # the reason, whatever the role: not "permission to delete stories", which the PROTECT
        # on a story's picture puts in Django's list of permissions needed.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        uses = [f"{image}: {use}" for image in objs for use in image.usages()]
        if uses:
            return deleted, counts, set(), sorted(set(uses))
        return deleted, counts, perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, object_id)
        uses = picture_uses(image) if image is not None else []
        return super().delete_view(
            request, object_id, {**(extra_context or {}), "picture_uses": uses}
        )
