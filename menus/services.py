"""The only writer of menus: the desk's save, and the menus a fresh database starts with.

A menu is on every page: saving one is a change to the whole site (caching.keys.SITE), soft
as a site settings change is (readers may get the previous page while the new one renders).
Only publishers (and superusers) change menus; the check is here, not in the desk's buttons.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from caching.invalidation import SOFT, announce, announced_by_service
from caching.keys import SITE

from .defaults import DEFAULTS
from .models import Menu, MenuItem

CHANGE_MENU = "menus.change_menu"


def can_change_menus(user) -> bool:
    return user.has_perm(CHANGE_MENU)


def save_menu(*, menu: Menu, items: list[MenuItem], user) -> Menu:
    """Make `menu` hold exactly `items` (saved or new, in their `order`): the rest are removed.
    Each item is validated (one target, a safe address); nothing is saved if one is wrong."""
    if not can_change_menus(user):
        raise PermissionDenied("Only publishers may change the site's menus.")
    for item in items:
        item.menu = menu
        item.full_clean()
    with transaction.atomic(), announced_by_service():
        Menu.objects.select_for_update().get(pk=menu.pk)  # one save of a menu at a time
        for item in items:
            item.save()
        menu.items.exclude(pk__in=[item.pk for item in items]).delete()
        announce(SOFT, keys={SITE})
    return menu


def create_missing_menus() -> list[Menu]:
    """The header and footer with their first links, for those not in the database (a test
    database flushed after the migrations made them)."""
    made = []
    with transaction.atomic(), announced_by_service():
        for name, rows in DEFAULTS.items():
            menu, created = Menu.objects.get_or_create(name=name)
            if created:
                for order, row in enumerate(rows, start=1):
                    MenuItem.objects.create(menu=menu, order=order * 10, **row)
                made.append(menu)
        if made:
            announce(SOFT, keys={SITE})
    return made
