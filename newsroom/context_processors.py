from sections.navigation import navigation

from .models import SiteSettings


def site(request):
    """The site settings and navigation, for every template; both cached until they change
    (django-solo's cache, sections.navigation)."""
    return {"site": SiteSettings.get_solo(), "navigation": navigation()}
