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
        (None, {"fields": ["site_name", "tagline"]}),
        ("Contact", {"fields": ["contact_email"]}),
        (
            "Follow us on social",
            {
                "fields": [
                    "x_url", "bluesky_url", "facebook_url", "linkedin_url", "youtube_url",
                    "instagram_url",
                ]
            },
        ),
        (
            "Organisation",
            {
                "fields": ["legal_name", "founding_date", "logo"],
                "description": "What search engines and platforms are told about the newsroom "
                "on every page (its profiles above are named too).",
            },
        ),
        (
            "Policies (Trust Project)",
            {
                "fields": [
                    "masthead_page", "publishing_principles_page", "ethics_policy_page",
                    "corrections_policy_page", "ownership_funding_page", "diversity_policy_page",
                    "unnamed_sources_policy_page", "verification_policy_page",
                    "feedback_policy_page", "coverage_priorities_page", "no_bylines_policy_page",
                ],
                "description": "Which of our pages says each policy. Search engines are told "
                "of a page only while it is published; readers of the corrections page and of "
                "corrected stories get a link to the corrections policy.",
            },
        ),
        ("Story types", {"fields": ["opinion_note", "analysis_note", "sponsored_disclosure"]}),
    ]  # fmt: skip
    # The picture library is large: the logo is picked by its number or the library's search.
    raw_id_fields = ["logo"]


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
