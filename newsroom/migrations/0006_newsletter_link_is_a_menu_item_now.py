"""The site settings' newsletter link did nothing once the header's Newsletter link became a
menu item: menus/migrations/0002 copied its value into that item. It reads the field from its
historical model, so this removal runs after it (the dependency below guarantees the order)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0005_story_type_notes_and_disclosure"),
        ("menus", "0002_header_and_footer_as_they_were"),
    ]

    operations = [
        migrations.RemoveField(model_name="sitesettings", name="newsletter_url"),
    ]
