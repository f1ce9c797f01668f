from sections.models import Section

from .models import SiteSettings


def site(request):
    """The site settings and navigation, available to every template."""
    return {
        "site": SiteSettings.get_solo(),
        "navigation": Section.objects.filter(show_in_navigation=True, parent__isnull=True),
    }
