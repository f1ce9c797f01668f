"""Every role lists a story's sources, as it lists its bylines (articles/roles.py)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    import importlib

    importlib.import_module("articles.migrations.0002_roles").create_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_story_sponsors_and_sources")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
