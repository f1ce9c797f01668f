"""A link leads to one place, given clearly: a section, a page, a web or site address, or the
navigation's sections. Anything a browser would run instead of open is refused, with why."""

import pytest
from django.core.exceptions import ValidationError

from menus import services
from menus.models import MenuItem
from tests import hostile_newsroom
from tests.articles.test_hostile_links import NOT_WEB_LINKS
from tests.factories import make_section, make_user

from .conftest import make_page

pytestmark = pytest.mark.django_db

REFUSED = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/",  # another host, without a scheme
    "/\\evil.example/",  # browsers read the backslash as a slash: another host too
    "ftp://files.example.org/",
    "mailto:tips@example.org",
    "about:blank",
    "donate.example.org",
    "https://",
    "/search/ with spaces",
]
ACCEPTED = [
    "https://donate.example.org/give?via=footer",
    "http://example.org",
    "https://bsky.app/profile/example.org",
    "/search/",
    "/",
    "/feeds/rss/",
]


def link(menu, **fields) -> MenuItem:
    return MenuItem(menu=menu, order=10, **fields)


@pytest.mark.parametrize("address", REFUSED)
def test_an_address_a_browser_would_not_just_open_is_refused(footer, address):
    with pytest.raises(ValidationError) as refused:
        link(footer, label="Donate", url=address).full_clean()
    message = " ".join(refused.value.message_dict["url"])
    assert "give a web address starting with https://" in message
    assert "starting with a single /" in message


@pytest.mark.parametrize("address", ACCEPTED)
def test_web_and_site_addresses_are_accepted(footer, address):
    link(footer, label="Somewhere", url=address).full_clean()


def test_a_link_without_a_target_says_what_to_choose(footer):
    with pytest.raises(ValidationError) as refused:
        link(footer, label="Nowhere").full_clean()
    assert refused.value.messages == [
        "Choose what the link leads to: a section, a page, an address, or the sections in "
        "navigation."
    ]


def test_a_link_with_two_targets_names_them(footer):
    with pytest.raises(ValidationError) as refused:
        link(footer, section=make_section(), page=make_page(), url="/search/").full_clean()
    assert refused.value.messages == [
        "A link leads to one place only; this one has several: section, page, address. Keep one."
    ]


def test_an_address_needs_a_label_a_section_or_page_does_not(footer):
    with pytest.raises(ValidationError) as refused:
        link(footer, url="https://donate.example.org/").full_clean()
    assert refused.value.message_dict == {
        "label": ["An address has no name of its own: give the link a label."]
    }
    link(footer, section=make_section()).full_clean()
    link(footer, page=make_page()).full_clean()
    link(footer, navigation_sections=True).full_clean()


@pytest.mark.parametrize("address", NOT_WEB_LINKS)
def test_the_links_refused_elsewhere_are_refused_in_menus(footer, address):
    with pytest.raises(ValidationError):
        link(footer, label="Donate", url=address).full_clean()


def test_hostile_labels_and_an_address_closing_its_attribute_stay_text(footer, client):
    """Labels are plain text and addresses are escaped: nothing runs, nothing breaks out."""
    services.save_menu(menu=footer, user=make_user(superuser=True), items=[
        link(footer, label="<script>alert(1)</script>", url=hostile_newsroom.BREAKOUT_URL),
        link(footer, page=make_page(title='"><img src=x onerror=alert(2)>')),
    ])  # fmt: skip
    html = client.get("/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "<img/src=x" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
