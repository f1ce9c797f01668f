"""Menus on the desk: publishers change them, editors may look, nobody else; a bad link is
refused on the form with why, and nothing of the menu is saved."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from menus import services
from menus.models import Menu, MenuItem
from tests.admin_forms import change_form_data, logged_in
from tests.factories import make_user

from .conftest import items, make_page

pytestmark = pytest.mark.django_db
PUBLISHER, EDITOR, CONTRIBUTOR = "Publisher", "Editor", "Contributor"


def change_url(menu) -> str:
    return reverse("admin:menus_menu_change", args=[menu.pk])


def new_row(data: dict, index: int, **fields) -> dict:
    """Fill the inline's extra row `index` (the form has two)."""
    for name, value in fields.items():
        data[f"items-{index}-{name}"] = str(value)
    return data


def test_a_publisher_adds_a_page_and_an_outside_link_and_reorders(footer):
    about = make_page(title="About us", slug="about")
    client = logged_in(make_user(PUBLISHER))
    data = change_form_data(client.get(change_url(footer)))
    count = footer.items.count()
    new_row(data, count, order=5, page=about.pk)
    new_row(data, count + 1, order=50, label="Donate", url="https://donate.example.org/")
    data["items-4-DELETE"] = "on"  # Atom goes
    data["items-0-order"] = "60"  # Corrections moves last
    response = client.post(change_url(footer), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert [str(item) for item in footer.items.all()] == [
        "About us", "Contact us", "Newsletters", "RSS", "Donate", "Corrections",
    ]  # fmt: skip
    said = LogEntry.objects.get(object_id=str(footer.pk)).get_change_message()
    assert all(word in said for word in ("Added link", "Changed", "Deleted link"))  # History


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,<b>x</b>"])
def test_a_hostile_address_is_refused_on_the_form_and_nothing_is_saved(footer, address):
    client = logged_in(make_user(PUBLISHER))
    data = change_form_data(client.get(change_url(footer)))
    before = list(footer.items.values_list("pk", "order", "label", "url"))
    data["items-0-order"] = "99"  # a change to another row, lost with the refused one
    new_row(data, footer.items.count(), order=70, label="Click me", url=address)
    response = client.post(change_url(footer), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "give a web address starting with https://" in text
    assert list(footer.items.values_list("pk", "order", "label", "url")) == before


def test_a_link_with_two_targets_is_refused_on_the_form(footer):
    client = logged_in(make_user(PUBLISHER))
    data = change_form_data(client.get(change_url(footer)))
    new_row(data, footer.items.count(), order=70, label="Both", url="/search/",
            page=make_page().pk)  # fmt: skip
    response = client.post(change_url(footer), data)
    assert response.status_code == 200
    assert "A link leads to one place only; this one has several: page, address." in (
        response.content.decode()
    )


def test_editors_see_menus_but_cannot_change_them(footer):
    client = logged_in(make_user(EDITOR))
    page = client.get(change_url(footer))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    data = {"items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"}
    assert client.post(change_url(footer), data).status_code == 403
    assert footer.items.count() == 5


def test_contributors_do_not_see_menus(footer):
    client = logged_in(make_user(CONTRIBUTOR))
    assert client.get(reverse("admin:menus_menu_changelist")).status_code == 403
    assert client.get(change_url(footer)).status_code == 403


def test_nobody_adds_or_deletes_a_menu(footer):
    client = logged_in(make_user(superuser=True))
    assert client.get(reverse("admin:menus_menu_add")).status_code == 403
    assert client.get(reverse("admin:menus_menu_delete", args=[footer.pk])).status_code == 403


@pytest.mark.parametrize("role", [EDITOR, CONTRIBUTOR])
def test_the_service_refuses_who_may_not_change_menus(footer, role):
    with pytest.raises(PermissionDenied):
        services.save_menu(menu=footer, items=[], user=make_user(role))
    assert footer.items.count() == 5


def test_the_service_keeps_exactly_the_links_given(footer):
    kept = items(footer)[:2]
    donate = MenuItem(order=1, label="Donate", url="https://donate.example.org/")
    services.save_menu(menu=footer, items=[*kept, donate], user=make_user(PUBLISHER))
    assert [str(item) for item in footer.items.all()] == ["Donate", "Corrections", "Contact us"]


def test_the_desk_lists_both_menus_even_after_a_flush(footer):
    Menu.objects.all().delete()
    page = logged_in(make_user(PUBLISHER)).get(reverse("admin:menus_menu_changelist"))
    text = page.content.decode()
    assert "Header navigation" in text and "Footer links" in text


def test_links_the_form_did_not_carry_stay(footer):
    """A form made before another publisher added a link does not delete it: only a ticked
    Delete removes one."""
    client = logged_in(make_user(PUBLISHER))
    data = {"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-0-order": "1",
            "items-0-label": "Donate", "items-0-url": "https://donate.example.org/"}  # fmt: skip
    assert client.post(change_url(footer), data).status_code == 302
    assert [str(item) for item in footer.items.all()] == [
        "Donate", "Corrections", "Contact us", "Newsletters", "RSS", "Atom",
    ]  # fmt: skip


def test_a_links_section_and_page_are_picked_not_made_or_edited_from_the_menu(footer):
    """No add, change or view buttons beside a link's section or page: a menu row picks one;
    making or editing a page is the pages' own form."""
    make_page(title="About us", slug="about")
    html = logged_in(make_user(PUBLISHER)).get(change_url(footer)).content.decode()
    assert 'name="items-0-page"' in html and 'name="items-0-section"' in html
    for button in ("add_id_items-0-page", "change_id_items-0-page", "view_id_items-0-section"):
        assert button not in html
