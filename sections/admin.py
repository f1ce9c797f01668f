from django.contrib import admin

from desk.accents import FoldedSearch

from .models import Section, Series


@admin.register(Section)
class SectionAdmin(FoldedSearch, admin.ModelAdmin):
    list_display = ["__str__", "slug", "order", "show_in_navigation"]
    list_select_related = ["parent"]
    list_editable = ["order", "show_in_navigation"]
    search_fields = ["name__unaccent", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Series)
class SeriesAdmin(FoldedSearch, admin.ModelAdmin):
    list_display = ["name", "cadence", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name__unaccent", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["image"]
