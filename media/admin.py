from django.contrib import admin
from django.utils.html import format_html

from .models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["title", "caption", "credit", "alt_text", "source"]
    readonly_fields = ["thumbnail", "width", "height", "file_size", "uploaded_by", "created_at"]
    fields = [
        "file", "thumbnail", "title", "alt_text", "caption", "credit", "source", "licence",
        ("width", "height", "file_size"), ("uploaded_by", "created_at"),
    ]  # fmt: skip

    @admin.display(description="preview")
    def thumbnail(self, obj):
        if not obj or not obj.file:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-height:80px;width:auto">', obj.file.url, obj.alt_text
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        obj.save()

    def get_deleted_objects(self, objs, request):
        # Refuse to delete an image a story, author or series uses, and say where.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            protected = [*protected, *(f"{image}: {use}" for use in image.usages())]
        return deleted, counts, perms_needed, sorted(set(protected))
