"""The POST data a browser sends back from the admin's story forms."""

from datetime import datetime, timedelta

from django.contrib.admin.widgets import AdminSplitDateTime
from django.test import Client
from django.urls import reverse
from django.utils import timezone


def change_url(story) -> str:
    """The story's change form in the admin."""
    return reverse("admin:articles_article_change", args=[story.pk])


def logged_in(user) -> Client:
    """A browser-less client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def _add_form(data: dict, form) -> None:
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field.widget, AdminSplitDateTime):
            if isinstance(value, datetime):
                local = timezone.localtime(value)
                data[f"{key}_0"], data[f"{key}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
            continue
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = str(value)


def change_form_data(response) -> dict:
    """The main form and every inline formset, with their current values."""
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for form in formset.forms:
            _add_form(data, form)
    return data


def add_story(client, section, author, **extra):
    """POST the add-story form as filled in by a writer: a headline, a body, one byline."""
    data = {
        "headline": "A new story",
        "kicker": "",
        "dek": "",
        "article_type": "news",
        "section": section.pk,
        "body": "<p>Text</p>",
        "teaser": "",
        "lead_image_caption": "",
        "slug": "",
        "seo_title": "",
        "seo_description": "",
        **{f"{p}-TOTAL_FORMS": "0" for p in ("bylines", "tagged_items", "related_links",
                                            "corrections", "sources")},
        **{f"{p}-INITIAL_FORMS": "0" for p in ("bylines", "tagged_items", "related_links",
                                              "corrections", "sources")},
        "bylines-TOTAL_FORMS": "1",
        "bylines-0-author": author.pk,
        "bylines-0-role": "",
        "bylines-0-order": "0",
        **extra,
    }  # fmt: skip
    return client.post(reverse("admin:articles_article_add"), data)


def post_step(client, story, action, **data):
    """A workflow button's POST: a comment, and a time two days ahead for "schedule"."""
    url = reverse("admin:articles_article_workflow", args=[story.pk, action])
    data.setdefault("comment", "Needs a stronger lede.")
    if action == "schedule":
        at = timezone.localtime(timezone.now() + timedelta(days=2))
        data["publish_at"] = at.strftime("%Y-%m-%dT%H:%M")
    return client.post(url, data)
