from django.contrib import admin

from .models import ImportedItem, LegacyURL


@admin.register(LegacyURL)
class LegacyURLAdmin(admin.ModelAdmin):
    """Old WordPress addresses and where they lead; editors may remove or correct one."""

    list_display = ["path", "article", "page", "image"]
    search_fields = ["path", "article__headline", "page__title"]
    raw_id_fields = ["article", "page", "image"]


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    """What each WordPress item became: read-only, the import keeps it."""

    list_display = ["kind", "wp_key", "title", "object_id", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["wp_key", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
