"""What readers get of the menus: a page's link only while the page is live, at its time
with no write, and the menus read once per page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from caching import keys as cache_keys
from menus import services
from menus.models import MenuItem
from menus.reading import Link, menus
from tests.factories import make_section, make_user

from .conftest import items, make_page

pytestmark = pytest.mark.django_db


def add(menu, **fields) -> MenuItem:
    item = MenuItem(order=fields.pop("order", 100), **fields)
    services.save_menu(menu=menu, items=[*items(menu), item], user=make_user(superuser=True))
    return item


def footer_links() -> list[Link]:
    return menus()["footer"]


@pytest.mark.parametrize(
    "state",
    [
        {"status": Status.DRAFT},
        {"status": Status.SUBMITTED},
        {"status": Status.APPROVED},
        {"status": Status.UNPUBLISHED},
        {"status": Status.ARCHIVED},
        {"status": Status.PUBLISHED, "publish_at": timedelta(days=1)},
        {"status": Status.PUBLISHED, "unpublish_at": timedelta(minutes=-1)},
    ],
    ids=["draft", "submitted", "approved", "unpublished", "archived", "scheduled", "expired"],
)
def test_a_page_that_is_not_live_is_never_in_a_menu(footer, client, state):
    now = timezone.now()
    fields = {k: now + v if isinstance(v, timedelta) else v for k, v in state.items()}
    if fields["status"] == Status.PUBLISHED:
        fields.setdefault("publish_at", now - timedelta(hours=1))
    page = make_page(title="Secret plans", slug="secret", **fields)
    add(footer, page=page)
    assert "Secret plans" not in [link.label for link in footer_links()]
    html = client.get("/").content.decode()
    assert "Secret plans" not in html and "/secret/" not in html


def test_a_live_page_is_shown_by_its_title_or_the_label(footer):
    about = make_page(title="About us", slug="about")
    add(footer, page=about)
    add(footer, page=make_page(title="Corrections policy", slug="corrections-policy"),
        label="How we correct")  # fmt: skip
    assert footer_links()[-2:] == [
        Link("About us", "/about/"),
        Link("How we correct", "/corrections-policy/"),
    ]


def test_a_scheduled_page_bounds_the_menus_to_its_time(footer):
    """No write announces a scheduled page going live: whatever shows the menus (the value
    remembered, every page cached with it) is right only until then."""
    at = timezone.now() + timedelta(hours=2)
    add(footer, page=make_page(title="Masthead", slug="masthead", publish_at=at))
    with cache_keys.collecting() as shown:
        assert "Masthead" not in [link.label for link in menus()["footer"]]
    assert shown.until == at.timestamp()


def test_a_page_leaving_at_a_set_time_bounds_the_menus_to_it(footer):
    leaves = timezone.now() + timedelta(hours=3)
    add(footer, page=make_page(title="Fund drive", slug="fund-drive", unpublish_at=leaves))
    with cache_keys.collecting() as shown:
        assert "Fund drive" in [link.label for link in menus()["footer"]]
    assert shown.until == leaves.timestamp()


def test_the_menus_name_what_they_show_and_end_with_nothing_by_themselves(footer, header):
    section = make_section(name="Europe", slug="europe")
    page = make_page()
    add(footer, page=page)
    with cache_keys.collecting() as shown:
        menus()
    assert {f"menu-{footer.pk}", f"menu-{header.pk}", f"section-{section.pk}",
            f"page-{page.pk}"} <= shown.keys  # fmt: skip
    assert shown.until is None


def test_sections_links_and_order(header):
    europe = make_section(name="Europe", slug="europe", order=2)
    make_section(name="Asia", slug="asia", order=1)
    services.save_menu(menu=header, items=[
        MenuItem(order=30, url="https://donate.example.org/", label="Donate"),
        MenuItem(order=10, section=europe),
        MenuItem(order=20, navigation_sections=True),
    ], user=make_user(superuser=True))  # fmt: skip
    assert [link.label for link in menus()["header"]] == ["Europe", "Asia", "Europe", "Donate"]


def test_read_once_per_page_and_remembered_across_pages(
    footer, django_assert_num_queries, cache_backend, remembered_values
):
    add(footer, page=make_page(title="Ethics", slug="ethics"))
    with cache_keys.collecting():
        first = menus()
        with django_assert_num_queries(0):
            assert menus() is first  # the same page asking again
    with cache_keys.collecting(), django_assert_num_queries(0):
        assert menus() == first  # the next page: remembered
    assert Link("Ethics", "/ethics/") in first["footer"]
