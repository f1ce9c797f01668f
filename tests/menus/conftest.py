from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from menus.models import Menu, MenuItem
from pages.models import Page
from tests.caching.conftest import cache_backend, page_cache, remembered_values  # noqa: F401


@pytest.fixture
def footer(db) -> Menu:
    return Menu.objects.get(name="footer")


@pytest.fixture
def header(db) -> Menu:
    return Menu.objects.get(name="header")


def make_page(*, title="About us", slug="about", status=Status.PUBLISHED, **fields) -> Page:
    """A page; `status=PUBLISHED` makes it live an hour ago unless times say otherwise."""
    if status == Status.PUBLISHED:
        fields.setdefault("publish_at", timezone.now() - timedelta(hours=1))
    return Page.objects.create(title=title, slug=slug, status=status, **fields)


def items(menu: Menu) -> list[MenuItem]:
    """The menu's links as stored, for a save that keeps them."""
    return list(menu.items.all())
