"""The sections in the site's menu, on every page."""

from caching.values import remember

from .models import Section


def navigation() -> list[Section]:
    """The top-level sections shown in the menu: remembered until a section changes (a
    change to a section is a change to the whole site, Section.cache_keys)."""
    return remember(
        "navigation",
        lambda: list(Section.objects.filter(show_in_navigation=True, parent__isnull=True)),
    )
