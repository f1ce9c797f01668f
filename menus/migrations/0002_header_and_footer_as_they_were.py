"""The header and footer with exactly the links the templates showed before menus were
edited on the desk, so nothing changes for readers on upgrade; and the roles' menu
permissions (articles/roles.py). A copy of menus/defaults.py as it was: a migration must not
change when that does."""

from django.db import migrations

HEADER = [
    {"navigation_sections": True},
    {"label": "Search", "url": "/search/"},
    {"label": "Newsletter", "url": "/newsletters/"},
]
FOOTER = [
    {"label": "Corrections", "url": "/corrections/"},
    {"label": "Newsletters", "url": "/newsletters/"},
    {"label": "RSS", "url": "/feeds/rss/"},
    {"label": "Atom", "url": "/feeds/atom/"},
]


def create_menus(apps, schema_editor):
    Menu = apps.get_model("menus", "Menu")
    MenuItem = apps.get_model("menus", "MenuItem")
    SiteSettings = apps.get_model("newsroom", "SiteSettings")
    # The header's Newsletter led to the site settings' newsletter link when one was set.
    settings_row = SiteSettings.objects.first()
    newsletter = (settings_row.newsletter_url if settings_row else "") or "/newsletters/"
    header = [{**row, "url": newsletter} if row.get("label") == "Newsletter" else row
              for row in HEADER]
    for name, rows in (("header", header), ("footer", FOOTER)):
        menu, created = Menu.objects.get_or_create(name=name)
        if created:
            for order, row in enumerate(rows, start=1):
                MenuItem.objects.create(menu=menu, order=order * 10, **row)


def sync_roles(apps, schema_editor):
    import importlib

    importlib.import_module("articles.migrations.0002_roles").create_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("menus", "0001_menus_and_links"),
        ("newsroom", "0002_newsletter_link_defaults_to_ours"),
        ("articles", "0016_working_copies_moved_to_desk"),
    ]
    operations = [
        migrations.RunPython(create_menus, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
