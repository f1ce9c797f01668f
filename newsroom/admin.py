from django.contrib import admin
from solo.admin import SingletonModelAdmin

from .models import SiteSettings

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editorial desk"


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
    ]  # fmt: skip
