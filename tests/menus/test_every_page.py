"""A menu edit appears on every page at once, with the page cache and remembered values on
(local memory and a real Redis, as production has it): a menu is part of the whole site."""

import pytest

from articles.models import Status
from menus import services
from menus.models import MenuItem
from tests.factories import make_article, make_author, make_section, make_user

from .conftest import items, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_page(db) -> dict[str, str]:
    section = make_section(name="Europe", slug="europe")
    author = make_author(name="Ana Writer", slug="ana-writer")
    story = make_article(status=Status.PUBLISHED, section=section, author=author,
                         headline="Talks in Vienna")  # fmt: skip
    story.tags.set(["Vienna"])
    about = make_page(title="About us", slug="about")
    return {
        "home": "/",
        "story": story.get_absolute_url(),
        "section": section.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": "/tags/vienna/",
        "search": "/search/?q=Vienna",
        "page": about.get_absolute_url(),
        "corrections": "/corrections/",
    }


def test_a_menu_edit_appears_on_every_page_at_once(
    client, every_page, footer, header, page_cache, remembered_values,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    for url in every_page.values():
        assert client.get(url).status_code == 200
        hit = client.get(url)
        assert hit["X-Cache"] == "hit" and "Donate" not in hit.content.decode()
    publisher = make_user("Publisher")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_menu(menu=footer, user=publisher, items=[
            *items(footer), MenuItem(order=99, label="Donate", url="https://donate.example.org/")
        ])  # fmt: skip
        services.save_menu(menu=header, user=publisher, items=[
            MenuItem(order=1, label="Who we are", page=make_page(title="About", slug="who")),
            *items(header),
        ])  # fmt: skip
    for name, url in every_page.items():
        response = client.get(url)
        assert response["X-Cache"] == "miss", name  # rendered anew, not a stale copy
        text = response.content.decode()
        assert '<a href="https://donate.example.org/">Donate</a>' in text, name
        assert '<a href="/who/">Who we are</a>' in text, name
        assert client.get(url)["X-Cache"] == "hit", name


def test_a_page_taken_down_leaves_the_menus_of_every_cached_page(
    client, every_page, footer, page_cache, remembered_values, django_capture_on_commit_callbacks
):
    policy = make_page(title="Ethics policy", slug="ethics")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_menu(menu=footer, user=make_user("Publisher"),
                           items=[*items(footer), MenuItem(order=99, page=policy)])  # fmt: skip
    for url in every_page.values():
        assert '<a href="/ethics/">Ethics policy</a>' in client.get(url).content.decode()
        assert client.get(url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        policy.status = Status.UNPUBLISHED
        policy.save()  # as the pages' service or a shell would: a hard change to page-N
    for name, url in every_page.items():
        response = client.get(url)
        assert response["X-Cache"] == "miss", name
        assert "Ethics policy" not in response.content.decode(), name
