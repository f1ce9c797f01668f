"""On upgrade nothing changes for readers: the menus start with exactly the links the
templates had fixed (menus/migrations/0002), and a database without them shows the same."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from menus import defaults
from menus.models import Menu, MenuItem
from menus.reading import menus
from newsroom.models import SiteSettings
from tests.factories import make_section

pytestmark = pytest.mark.django_db
first_menus = importlib.import_module("menus.migrations.0002_header_and_footer_as_they_were")
CONTACT = {"label": "Contact us", "url": "/contact/"}  # added by menus/migrations/0003

# What templates/base.html showed before menus were edited on the desk, by URL name, and the
# contact form (after Corrections) since there is one.
HEADER_AFTER_SECTIONS = [("Search", "search:results"), ("Newsletter", "newsletters:list")]
FOOTER = [
    ("Corrections", "corrections:list"), ("Contact us", "contact:form"),
    ("Newsletters", "newsletters:list"),
    ("RSS", "feeds:latest-rss"), ("Atom", "feeds:latest-atom"),
]  # fmt: skip


def nav_links(html: str, label: str) -> list[tuple[str, str]]:
    """(text, href) of each link in the <nav> named `label`."""
    nav = re.search(rf'<nav aria-label="{label}">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', nav)


def test_the_migration_made_the_header_and_footer_the_templates_had(client):
    europe = make_section(name="Europe", slug="europe", order=1)
    make_section(name="Military", slug="military", order=2)
    make_section(name="Hidden", slug="hidden", show_in_navigation=False)
    make_section(name="Balkans", slug="balkans", parent=europe)  # a subsection: not listed
    html = client.get("/").content.decode()
    assert nav_links(html, "Sections") == [
        ("/sections/europe/", "Europe"), ("/sections/military/", "Military"),
        *[(reverse(name), label) for label, name in HEADER_AFTER_SECTIONS],
    ]  # fmt: skip
    assert nav_links(html, "Footer") == [(reverse(name), label) for label, name in FOOTER]


def test_the_migration_keeps_a_copy_of_the_defaults():
    assert first_menus.HEADER == defaults.HEADER
    assert first_menus.FOOTER == [row for row in defaults.FOOTER if row != CONTACT]
    stored = {
        menu.name: [
            {k: v for k, v in row.items() if v not in ("", False, None)}
            for row in menu.items.values("label", "url", "navigation_sections")
        ]
        for menu in Menu.objects.all()
    }
    assert stored == defaults.DEFAULTS


@pytest.mark.django_db(transaction=True)
def test_a_newsletter_link_set_in_the_site_settings_stays_the_headers():
    """The site settings had a newsletter link (removed by newsroom/migrations/0006, which runs
    after menus 0002): an upgrade from then keeps it as the header's Newsletter link. The
    migrations run for real, back to before the menus and forward again."""
    before_menus = [
        ("newsroom", "0005_story_type_notes_and_disclosure"),
        ("menus", "0001_menus_and_links"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before_menus)
    then = executor.loader.project_state(before_menus).apps
    then.get_model("menus", "Menu").objects.all().delete()
    then.get_model("newsroom", "SiteSettings").objects.update_or_create(
        pk=1, defaults={"newsletter_url": "https://newsletter.example.org/"}
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    newsletter = Menu.objects.get(name="header").items.get(label="Newsletter")
    assert newsletter.url == "https://newsletter.example.org/"
    assert not hasattr(SiteSettings.get_solo(), "newsletter_url")


def test_running_it_again_changes_nothing():
    before = list(MenuItem.objects.values_list("pk", "url"))
    first_menus.create_menus(apps, None)
    assert list(MenuItem.objects.values_list("pk", "url")) == before


def test_a_database_without_menus_shows_the_first_links():
    """A test database flushed after its migrations, or a menu deleted in a shell."""
    make_section(name="Europe", slug="europe")
    Menu.objects.all().delete()
    shown = menus()
    assert [link.label for link in shown["header"]] == ["Europe", "Search", "Newsletter"]
    assert [link.label for link in shown["footer"]] == [label for label, _ in FOOTER]
