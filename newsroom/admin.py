from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from solo.admin import SingletonModelAdmin

from .models import SiteSettings

# The site's header and titles are the desk's (desk/site.py).


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin):
    fieldsets = [
        (None, {"fields": ["site_name", "tagline", "newsletter_url"]}),
        (
            "Follow us on social",
            {
                "fields": [
                    "x_url", "bluesky_url", "facebook_url", "linkedin_url", "youtube_url",
                    "instagram_url",
                ]
            },
        ),
        ("Story types", {"fields": ["opinion_note", "analysis_note", "sponsored_disclosure"]}),
    ]  # fmt: skip


def view_on_site(request, content_type_id: str, object_id: str):
    """The admin's "View on site" redirect, for objects the user may open in the admin only.

    Django's own (the contenttypes shortcut) sends any staff user to any object's address by
    id, which gives away the address of someone else's embargoed story to a contributor."""
    if not (content_type_id.isascii() and content_type_id.isdigit()):
        raise Http404("No such object.")
    model = get_object_or_404(ContentType, pk=int(content_type_id)).model_class()
    model_admin = admin.site._registry.get(model)
    try:
        obj = model_admin and model_admin.get_queryset(request).filter(pk=object_id).first()
    except (ValueError, ValidationError):
        obj = None
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404("No such object.")
    return shortcut(request, content_type_id, object_id)
