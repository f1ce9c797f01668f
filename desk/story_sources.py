"""The story form's “Sources and references” group: an ordered inline, and a button that
adds the body's links to outside reports to it in one click (static/desk/sources.js)."""

from django import forms
from django.contrib import admin

from articles.models import Source
from articles.models.article import web_address


class SourceInline(admin.StackedInline):
    model = Source
    extra = 0
    fields = ["title", "publisher", "url", "published_on", "order"]

    class Media:
        js = ["desk/sources.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "published_on":  # the browser's own date picker, no admin JS
            kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if db_field.name == "url":  # one message for any address that is not a web page's
            kwargs["error_messages"] = {"invalid": web_address.message}
        return super().formfield_for_dbfield(db_field, request, **kwargs)
