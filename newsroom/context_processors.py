from menus.reading import menus

from .models import SiteSettings


def site(request):
    """The site settings and menus, for every template; both cached until they change
    (django-solo's cache, menus.reading)."""
    return {"site": SiteSettings.get_solo(), "menus": menus()}
