"""The menus as every page renders them: read once per page, remembered until they change.

`menus()` gives each place's links ready to render (label, address), remembered with
caching.values like the navigation: filed under the keys of what they show (the menus, their
sections and pages) and the whole site, which every menu or section change names. A link to
a page is shown only while the page is live (Page.objects.live(), the one rule); a page
scheduled to go live, or to leave, bounds the remembered value, and so every page showing
it, to that time (the `until` of caching.keys), so it appears or goes at its time.
"""

from typing import NamedTuple

from django.utils import timezone

from articles.models import Status
from caching import keys as cache_keys
from caching.values import remember
from pages.models import Page
from sections.navigation import navigation

from .defaults import DEFAULTS
from .models import Menu, MenuItem


class Link(NamedTuple):
    label: str
    url: str


def menus() -> dict[str, list[Link]]:
    """{"header": [Link, …], "footer": [Link, …]}: once per page, however often asked."""
    return cache_keys.once("menus", lambda: remember("menus", _read))


def _read() -> dict[str, list[Link]]:
    now = timezone.now()
    places = {menu.pk: menu.name for menu in Menu.objects.all()}
    items = list(
        MenuItem.objects.filter(menu__in=list(places))
        .select_related("section", "page")
        .order_by("order", "pk")
    )
    page_ids = {item.page_id for item in items if item.page_id}
    live = set(Page.objects.live().filter(pk__in=page_ids).values_list("pk", flat=True))
    found: dict[str, list[Link]] = {name: [] for name in places.values()}
    for item in items:
        if item.page_id and item.page_id not in live:
            _until_live(item.page, now)
            continue
        if item.page_id:
            _until_gone(item.page, now)
        found[places[item.menu_id]].extend(_links(item))
    # A menu missing from the database (a test database flushed after its migrations) shows
    # what it held first, never nothing.
    for name, defaults in DEFAULTS.items():
        if name not in found:
            found[name] = [link for row in defaults for link in _links(MenuItem(**row))]
    return found


def _links(item: MenuItem) -> list[Link]:
    if item.navigation_sections:
        return [Link(section.name, section.get_absolute_url()) for section in navigation()]
    if item.section_id:
        return [Link(item.label or item.section.name, item.section.get_absolute_url())]
    if item.page_id:
        return [Link(item.label or item.page.title, item.page.get_absolute_url())]
    return [Link(item.label, item.url)]


def _until_live(page: Page, now) -> None:
    """A page scheduled to go live joins the menu at its time, with no write to announce it."""
    if page.status == Status.PUBLISHED and page.publish_at and page.publish_at > now:
        if page.unpublish_at is None or page.unpublish_at > page.publish_at:
            cache_keys.show(until=page.publish_at.timestamp())


def _until_gone(page: Page, now) -> None:
    """A live page with a takedown time leaves the menu at that time."""
    if page.unpublish_at and page.unpublish_at > now:
        cache_keys.show(until=page.unpublish_at.timestamp())
